package dev.paypipe.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The config keys of one component, each declared once with its type, default, rules and doc (Kafka's
 * {@code ConfigDef} style). A component keeps its table and its keys as constants beside its config record:
 * <pre>{@code
 * public static final ConfigTable KEYS = new ConfigTable("worker", "The payment worker.");
 * static final ConfigKey<Integer> MAX_IN_FLIGHT = KEYS.key("worker.max-in-flight").integer(1000)
 *         .between(1, 100_000).doc("Gateway calls open at once per worker process.");
 * }</pre>
 * and its {@code from(ConfigSource)} reads {@code source.get(MAX_IN_FLIGHT)}. Adding a key is that one declaration.
 * A {@link PassThrough} prefix ({@code kafka.client.}) declares a family of keys handed on unread.
 */
public final class ConfigTable {
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|key|jaas|token|credential|auth).*");

    private final String name;
    private final String doc;
    private final Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();
    private final List<PassThrough> passThroughs = new ArrayList<>();

    /**
     * Keys under a prefix that are passed on unread ({@code kafka.client.security.protocol} → every Kafka client);
     * never reported as unknown. A value whose name mentions a password, secret, key, token or JAAS config is masked.
     */
    public record PassThrough(String prefix, String example, String doc) {
        /** {@code kafka.client.} → {@code PAYPIPE_KAFKA_CLIENT_}. */
        public String envPrefix() {
            return ConfigSource.envName(prefix);
        }

        public boolean covers(String key) {
            return key.startsWith(prefix) && key.length() > prefix.length();
        }

        public boolean coversEnv(String envName) {
            return envName.startsWith(envPrefix()) && envName.length() > envPrefix().length();
        }

        /** The value as {@code config --print} shows it. */
        public String show(String key, String raw) {
            return SECRET_NAME.matcher(key.substring(prefix.length())).matches() ? "<set>" : maskPasswordParameters(raw);
        }
    }

    /**
     * @param name the component, as the reference's heading shows it ({@code worker})
     * @param doc one line on what the component is
     */
    public ConfigTable(String name, String doc) {
        this.name = name;
        this.doc = doc;
    }

    /** Starts a key's declaration; its {@code doc(…)} ends it and adds it here. */
    public ConfigKey.Untyped key(String keyName) {
        return new ConfigKey.Untyped(this, keyName);
    }

    /** Declares a pass-through prefix such as {@code kafka.client.}. */
    public PassThrough passThrough(String prefix, String example, String passDoc) {
        PassThrough p = new PassThrough(prefix, example, passDoc);
        passThroughs.add(p);
        return p;
    }

    synchronized void add(ConfigKey<?> key) {
        if (keys.putIfAbsent(key.name(), key) != null) {
            throw new IllegalStateException("config key " + key.name() + " declared twice in table " + name);
        }
    }

    public String name() {
        return name;
    }

    public String doc() {
        return doc;
    }

    /** The keys in the order they were declared. */
    public synchronized List<ConfigKey<?>> keys() {
        return List.copyOf(keys.values());
    }

    public synchronized List<PassThrough> passThroughs() {
        return List.copyOf(passThroughs);
    }

    @Override
    public String toString() {
        return "ConfigTable[" + name + ", " + keys.size() + " keys]";
    }

    /** {@code jdbc:postgresql://db/p?password=x} → {@code …?password=****}: a URL can carry a password too. */
    static String maskPasswordParameters(String value) {
        return value == null ? null : PASSWORD_PARAMETER.matcher(value).replaceAll("$1****");
    }
}
