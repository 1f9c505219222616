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
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where configuration values come from: environment variables ({@code PAYPIPE_*}) over a
 * properties file over explicit overrides and then each declared key's default.
 *
 * <p>A key such as {@code worker.max-in-flight} is read from the environment variable
 * {@code PAYPIPE_WORKER_MAX_IN_FLIGHT} first, then from the properties. Keys are declared in a component's
 * {@link ConfigTable}; {@link #get(ConfigKey)} validates against the declaration and throws
 * {@link ConfigException} naming the key, the value and where it came from.
 */
public final class ConfigSource {
    /** Every environment variable paypipe reads starts with this. */
    public static final String ENV_PREFIX = "PAYPIPE_";
    private static final String NO_FILE = "defaults";
    private static final String EXPLICIT = "explicit values";

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
        return load(System.getenv(), propertiesFile);
    }

    /** The given environment over the given properties file (may be null): what {@link #load(Path)} does, for tests. */
    public static ConfigSource load(Map<String, String> environment, Path propertiesFile) {
        Map<String, String> props = new HashMap<>();
        String origin = NO_FILE;
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
            origin = "properties file " + propertiesFile;
        }
        return new ConfigSource(environment, props, origin);
    }

    /** Explicit values only (tests, embedded demo); the environment is not consulted. */
    public static ConfigSource of(Map<String, String> values) {
        return new ConfigSource(Map.of(), values, EXPLICIT);
    }

    /** A copy with these values layered under the environment and over the current properties. */
    public ConfigSource with(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(properties);
        merged.putAll(overrides);
        return new ConfigSource(env, merged, propertiesOrigin.equals(NO_FILE) ? EXPLICIT : propertiesOrigin);
    }

    /** {@code worker.max-in-flight} → {@code PAYPIPE_WORKER_MAX_IN_FLIGHT}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
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

    /**
     * The value of a declared key: the environment over the properties over its default, parsed and checked
     * against its rules.
     *
     * @throws ConfigException naming the key, the value and where it came from, or that a required key is missing
     */
    public <T> T get(ConfigKey<T> key) {
        return get(key, key.defaultValue());
    }

    /** As {@link #get(ConfigKey)}, with a default derived at start ({@code db-writer.pool-size} = consumers). */
    public <T> T get(ConfigKey<T> key, T derivedDefault) {
        String v = raw(key.name());
        if (v == null || (key.required() && v.isBlank())) {
            if (key.required()) {
                throw key.missing();
            }
            return derivedDefault;
        }
        return key.read(v, origin(key.name()));
    }

    /** The raw value of a key as set, or empty when only its default applies. */
    public Optional<String> rawValue(String key) {
        return Optional.ofNullable(raw(key));
    }

    /** Where a key's value comes from ({@code environment variable PAYPIPE_…}, the file), or empty: the default. */
    public Optional<String> setBy(String key) {
        return raw(key) == null ? Optional.empty() : Optional.of(origin(key));
    }

    /** Every key of the properties (file or explicit values), for finding keys nobody declared. */
    public Set<String> propertyKeys() {
        return new TreeSet<>(properties.keySet());
    }

    /** Every {@code PAYPIPE_*} environment variable, for finding names that match no declared key. */
    public Set<String> environmentNames() {
        Set<String> names = new TreeSet<>();
        env.keySet().stream().filter(k -> k.startsWith(ENV_PREFIX)).forEach(names::add);
        return names;
    }

    /** Where the properties come from: {@code properties file <path>} or {@code explicit values}. */
    public String propertiesOrigin() {
        return propertiesOrigin;
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

    /** @deprecated declare the key in its component's {@link ConfigTable} and read it with {@link #get}. */
    @Deprecated
    public String string(String key, String defaultValue) {
        return get(ConfigKey.adHoc(key, ConfigType.STRING, defaultValue).doc(""));
    }

    /** @deprecated declare the key in its component's {@link ConfigTable} and read it with {@link #get}. */
    @Deprecated
    public String requiredString(String key) {
        return get(ConfigKey.adHoc(key, ConfigType.STRING, null).required().doc(""));
    }

    /** @deprecated declare the key in its component's {@link ConfigTable} and read it with {@link #get}. */
    @Deprecated
    public int intInRange(String key, int defaultValue, int min, int max) {
        return get(ConfigKey.adHoc(key, ConfigType.INT, defaultValue).between(min, max).doc(""));
    }

    /** @deprecated declare the key in its component's {@link ConfigTable} and read it with {@link #get}. */
    @Deprecated
    public double doubleInRange(String key, double defaultValue, double min, double max) {
        return get(ConfigKey.adHoc(key, ConfigType.DOUBLE, defaultValue).between(min, max).doc(""));
    }

    /** @deprecated declare the key in its component's {@link ConfigTable} and read it with {@link #get}. */
    @Deprecated
    public boolean bool(String key, boolean defaultValue) {
        return get(ConfigKey.adHoc(key, ConfigType.BOOLEAN, defaultValue).doc(""));
    }

    /**
     * One of {@code type}'s constants, case-insensitive ({@code ledger} or {@code LEDGER}).
     *
     * @deprecated declare the key in its component's {@link ConfigTable} and read it with {@link #get}.
     */
    @Deprecated
    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        return get(ConfigKey.adHoc(key, ConfigType.enumOf(type), defaultValue).doc(""));
    }

    /**
     * Accepts {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601 {@code PT5S}.
     *
     * @deprecated declare the key in its component's {@link ConfigTable} and read it with {@link #get}.
     */
    @Deprecated
    public Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
        return get(ConfigKey.adHoc(key, ConfigType.DURATION, defaultValue).between(min, max).doc(""));
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
}
