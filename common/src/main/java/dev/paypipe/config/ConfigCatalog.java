package dev.paypipe.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every declared config table of a program, and what follows from them: which {@code PAYPIPE_*} variables and
 * properties nobody declared (a typo reads as a default otherwise), and the effective configuration with each
 * value's source, secrets masked.
 */
public final class ConfigCatalog {
    private final List<ConfigTable> tables;
    private final Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();
    private final Map<String, ConfigKey<?>> keysByEnv = new LinkedHashMap<>();
    private final Set<String> environmentOnly;
    private final List<String> reservedEnvPrefixes;

    /** A name nobody declared, where it was set, and the closest declared name (null when none is close). */
    public record Unknown(String name, String origin, String closest) {
    }

    /**
     * One line of the effective configuration.
     *
     * @param value as shown: secrets {@code <set>}/{@code <unset>}, a URL's password parameter ****
     * @param source {@code default}, {@code environment variable PAYPIPE_…} or the properties file
     */
    public record Effective(String key, String value, String source) {
    }

    /**
     * @param environmentOnly {@code PAYPIPE_*} variables read outside the tables ({@code PAYPIPE_LOG_LEVEL})
     * @param reservedEnvPrefixes prefixes of variables that belong to tooling, never reported ({@code PAYPIPE_TEST_})
     */
    public ConfigCatalog(List<ConfigTable> tables, Set<String> environmentOnly, List<String> reservedEnvPrefixes) {
        this.tables = List.copyOf(tables);
        this.environmentOnly = Set.copyOf(environmentOnly);
        this.reservedEnvPrefixes = List.copyOf(reservedEnvPrefixes);
        for (ConfigTable table : this.tables) {
            for (ConfigKey<?> key : table.keys()) {
                ConfigKey<?> before = keys.putIfAbsent(key.name(), key);
                if (before != null && before != key) {
                    throw new IllegalStateException("config key " + key.name() + " declared in two tables");
                }
                keysByEnv.put(key.envName(), key);
            }
        }
    }

    public List<ConfigTable> tables() {
        return tables;
    }

    /** Every declared key, table by table in declaration order. */
    public List<ConfigKey<?>> keys() {
        return List.copyOf(keys.values());
    }

    public Optional<ConfigKey<?>> key(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    public List<ConfigTable.PassThrough> passThroughs() {
        return tables.stream().flatMap(t -> t.passThroughs().stream()).toList();
    }

    /** True when {@code key} is declared or under a pass-through prefix. */
    public boolean knowsKey(String key) {
        return keys.containsKey(key) || passThroughs().stream().anyMatch(p -> p.covers(key));
    }

    /** True when paypipe reads this {@code PAYPIPE_*} variable: a key's, a pass-through's or an environment-only one. */
    public boolean knowsEnv(String envName) {
        return keysByEnv.containsKey(envName) || environmentOnly.contains(envName)
                || reservedEnvPrefixes.stream().anyMatch(envName::startsWith)
                || passThroughs().stream().anyMatch(p -> p.coversEnv(envName));
    }

    /** Properties keys and {@code PAYPIPE_*} variables that match nothing declared, properties first. */
    public List<Unknown> unknown(ConfigSource source) {
        List<Unknown> unknown = new ArrayList<>();
        for (String key : source.propertyKeys()) {
            if (!knowsKey(key)) {
                unknown.add(new Unknown(key, source.propertiesOrigin(), closest(key, keys.keySet())));
            }
        }
        for (String env : source.environmentNames()) {
            if (!knowsEnv(env)) {
                String closestEnv = closest(env, keysByEnv.keySet());
                unknown.add(new Unknown(env, "environment",
                        closestEnv == null ? null : closestEnv + " (" + keysByEnv.get(closestEnv).name() + ")"));
            }
        }
        return unknown;
    }

    /** Every declared key with its effective value and source, then every pass-through value set. */
    public List<Effective> effective(ConfigSource source) {
        List<Effective> lines = new ArrayList<>();
        for (ConfigKey<?> key : keys.values()) {
            Optional<String> raw = source.rawValue(key.name());
            lines.add(raw.map(v -> new Effective(key.name(), key.show(v), source.setBy(key.name()).orElseThrow()))
                    .orElseGet(() -> new Effective(key.name(), key.defaultText(), "default")));
        }
        for (ConfigTable.PassThrough p : passThroughs()) {
            source.withPrefix(p.prefix()).entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                String key = p.prefix() + e.getKey();
                lines.add(new Effective(key, p.show(key, e.getValue()), source.setBy(key).orElse("environment")));
            });
        }
        return lines;
    }

    /** The declared name nearest to {@code name} by edit distance, if it is near enough to be a typo. */
    static String closest(String name, Iterable<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = editDistance(name, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.max(2, name.length() / 4) ? best : null;
    }

    /** Levenshtein distance, two rows. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
