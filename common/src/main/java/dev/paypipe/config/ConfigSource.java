package dev.paypipe.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where configuration values come from: environment variables ({@code PAYPIPE_*}) over a
 * properties file over explicit overrides and then the defaults given at each lookup.
 *
 * <p>A key such as {@code worker.max-in-flight} is read from the environment variable
 * {@code PAYPIPE_WORKER_MAX_IN_FLIGHT} first, then from the properties. Every typed getter
 * validates and throws {@link ConfigException} naming the key, the value and where it came from.
 */
public final class ConfigSource {
    private final Map<String, String> env;
    private final Map<String, String> properties;
    private final String propertiesOrigin;

    private ConfigSource(Map<String, String> env, Map<String, String> properties, String propertiesOrigin) {
        this.env = Map.copyOf(env);
        this.properties = Map.copyOf(properties);
        this.propertiesOrigin = propertiesOrigin;
    }

    /** The process environment over the given properties file (may be null). */
    public static ConfigSource load(Path propertiesFile) {
        Map<String, String> props = new HashMap<>();
        String origin = "defaults";
        if (propertiesFile != null) {
            if (!Files.isReadable(propertiesFile)) {
                throw new ConfigException("config-file", "config file " + propertiesFile
                        + " does not exist or is not readable");
            }
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(propertiesFile)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read config file " + propertiesFile, e);
            }
            p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k).trim()));
            origin = propertiesFile.toString();
        }
        return new ConfigSource(System.getenv(), props, origin);
    }

    /** Explicit values only (tests, embedded demo); the environment is not consulted. */
    public static ConfigSource of(Map<String, String> values) {
        return new ConfigSource(Map.of(), values, "explicit values");
    }

    /** A copy with these values layered under the environment and over the current properties. */
    public ConfigSource with(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(properties);
        merged.putAll(overrides);
        return new ConfigSource(env, merged, propertiesOrigin);
    }

    /** {@code worker.max-in-flight} → {@code PAYPIPE_WORKER_MAX_IN_FLIGHT}. */
    public static String envName(String key) {
        return "PAYPIPE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Every value under {@code prefix} (e.g. {@code kafka.client.}), keyed by the rest of its name:
     * {@code kafka.client.session.timeout.ms} in the properties, or the environment variable
     * {@code PAYPIPE_KAFKA_CLIENT_SESSION_TIMEOUT_MS} (underscores become dots), gives
     * {@code session.timeout.ms}. The environment wins.
     */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> values = new HashMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.length() > prefix.length()) {
                values.put(k.substring(prefix.length()), v);
            }
        });
        String envPrefix = envName(prefix);
        env.forEach((k, v) -> {
            if (k.startsWith(envPrefix) && k.length() > envPrefix.length()) {
                values.put(k.substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'), v.trim());
            }
        });
        return values;
    }

    private String raw(String key) {
        String v = env.get(envName(key));
        if (v != null) {
            return v.trim();
        }
        return properties.get(key);
    }

    private String origin(String key) {
        return env.containsKey(envName(key)) ? "environment variable " + envName(key) : propertiesOrigin;
    }

    public String string(String key, String defaultValue) {
        String v = raw(key);
        return v == null ? defaultValue : v;
    }

    public String requiredString(String key) {
        String v = raw(key);
        if (v == null || v.isBlank()) {
            throw new ConfigException(key, "missing required config " + key + " (set " + envName(key)
                    + " or " + key + " in the properties file)");
        }
        return v;
    }

    public int intInRange(String key, int defaultValue, int min, int max) {
        String v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw invalid(key, v, "an integer");
        }
        if (parsed < min || parsed > max) {
            throw invalid(key, v, "an integer between " + min + " and " + max);
        }
        return parsed;
    }

    public double doubleInRange(String key, double defaultValue, double min, double max) {
        String v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw invalid(key, v, "a number");
        }
        if (!(parsed >= min && parsed <= max)) {
            throw invalid(key, v, "a number between " + min + " and " + max);
        }
        return parsed;
    }

    public boolean bool(String key, boolean defaultValue) {
        String v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw invalid(key, v, "true or false");
        };
    }

    /** One of {@code type}'s constants, case-insensitive ({@code ledger} or {@code LEDGER}). */
    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        String v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(v.trim())) {
                return constant;
            }
        }
        throw invalid(key, v, "one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }

    /** Accepts {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601 {@code PT5S}. */
    public Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
        String v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        Duration parsed = parseDuration(v);
        if (parsed == null) {
            throw invalid(key, v, "a duration such as 250ms, 5s, 2m or PT5S");
        }
        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            throw invalid(key, v, "a duration between " + min + " and " + max);
        }
        return parsed;
    }

    public static Duration parseDuration(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("pt") || s.startsWith("p")) {
                return Duration.parse(v.trim().toUpperCase(Locale.ROOT));
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> null;
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }

    private ConfigException invalid(String key, String value, String expected) {
        return new ConfigException(key, "invalid config " + key + "='" + value + "' from " + origin(key)
                + ": expected " + expected);
    }
}
