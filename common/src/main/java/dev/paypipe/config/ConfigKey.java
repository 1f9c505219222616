package dev.paypipe.config;

import dev.paypipe.model.Masking;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One declared config key: its name, type, default, the rules a value must meet and a one-line doc, as in Kafka's
 * {@code ConfigDef}. Declared once in a component's {@link ConfigTable}; start-up validation
 * ({@link ConfigSource#get}), the configuration reference and {@code paypipe config --print} all read it from
 * there. A key of a secret type never shows its value, not even in an error.
 *
 * @param <T> the type of the value
 */
public final class ConfigKey<T> {
    private final String name;
    private final ConfigType<T> type;
    private final T defaultValue;
    private final String defaultText;
    private final boolean required;
    private final List<Rule<T>> rules;
    private final String doc;

    /** A condition on a parsed value, with how an error message and the reference say it. */
    private record Rule<T>(Predicate<? super T> test, String expected) {
    }

    private ConfigKey(Builder<T> b, String doc) {
        this.name = b.name;
        this.type = b.type;
        this.defaultValue = b.defaultValue;
        this.defaultText = b.defaultText;
        this.required = b.required;
        this.rules = List.copyOf(b.rules);
        this.doc = Objects.requireNonNull(doc, "doc");
    }

    /** A key outside any table: only for the deprecated ad-hoc getters of {@link ConfigSource}. */
    static <T> Builder<T> adHoc(String name, ConfigType<T> type, T defaultValue) {
        return new Builder<>(null, name, type, defaultValue);
    }

    public String name() {
        return name;
    }

    /** {@code worker.max-in-flight} → {@code PAYPIPE_WORKER_MAX_IN_FLIGHT}. */
    public String envName() {
        return ConfigSource.envName(name);
    }

    public ConfigType<T> type() {
        return type;
    }

    public String doc() {
        return doc;
    }

    public boolean required() {
        return required;
    }

    public boolean secret() {
        return type.secret();
    }

    /** The default, or null when the key is required, optional or its default is derived from another key. */
    public T defaultValue() {
        return defaultValue;
    }

    /** The default as the reference shows it: {@code 5s}, {@code (required)}, {@code same as db-writer.consumers}. */
    public String defaultText() {
        if (defaultText != null) {
            return defaultText;
        }
        if (required) {
            return "(required)";
        }
        if (defaultValue == null || type.format(defaultValue).isEmpty()) {
            return "(none)";
        }
        return secret() ? "<set>" : type.format(defaultValue);
    }

    /** What a valid value looks like: the rules, or else what the type reads. */
    public String validValues() {
        return rules.isEmpty() ? type.expected() : rules.stream().map(Rule::expected).collect(Collectors.joining("; "));
    }

    /** A value as {@code config --print} shows it: secrets as {@code <set>}, a password inside a URL as ****. */
    public String show(String raw) {
        if (secret()) {
            return Masking.secret(raw);
        }
        return ConfigTable.maskPasswordParameters(raw);
    }

    /**
     * A value built in code (a record's constructor, a test) checked against the same rules as a configured one.
     *
     * @throws ConfigException naming the key, the value and the rule
     */
    public T check(T value) {
        for (Rule<T> rule : rules) {
            if (value == null || !rule.test().test(value)) {
                throw invalid(value == null ? "null" : type.format(value), null, rule.expected());
            }
        }
        return value;
    }

    /** Parses and checks a configured value; {@code origin} says where it came from, for the error. */
    T read(String raw, String origin) {
        T value = type.parse(raw);
        if (value == null) {
            throw invalid(raw, origin, type.expected());
        }
        for (Rule<T> rule : rules) {
            if (!rule.test().test(value)) {
                throw invalid(raw, origin, rule.expected());
            }
        }
        return value;
    }

    ConfigException missing() {
        return new ConfigException(name, "missing required config " + name + " (set " + envName() + " or " + name
                + " in the properties file)");
    }

    private ConfigException invalid(String raw, String origin, String expected) {
        // A secret is never echoed, not even a wrong one: its length is enough to spot a truncated paste.
        String shown = secret() ? " (" + raw.length() + " characters)"
                : "='" + ConfigTable.maskPasswordParameters(raw) + "'";
        return new ConfigException(name, "invalid config " + name + shown + (origin == null ? "" : " from " + origin)
                + ": expected " + expected);
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * Declares a key in one statement: {@code table.key("worker.max-in-flight").integer(1000).between(1, 100_000)
     * .doc("…")}; {@link #doc} adds it to its table.
     */
    public static final class Untyped {
        private final ConfigTable table;
        private final String name;

        Untyped(ConfigTable table, String name) {
            this.table = table;
            this.name = name;
        }

        public Builder<String> string(String defaultValue) {
            return new Builder<>(table, name, ConfigType.STRING, defaultValue);
        }

        /** A secret: never printed or logged. */
        public Builder<String> password() {
            return new Builder<>(table, name, ConfigType.PASSWORD, null);
        }

        public Builder<Integer> integer(Integer defaultValue) {
            return new Builder<>(table, name, ConfigType.INT, defaultValue);
        }

        public Builder<Double> decimal(double defaultValue) {
            return new Builder<>(table, name, ConfigType.DOUBLE, defaultValue);
        }

        public Builder<Boolean> bool(boolean defaultValue) {
            return new Builder<>(table, name, ConfigType.BOOLEAN, defaultValue);
        }

        public Builder<Duration> duration(Duration defaultValue) {
            return new Builder<>(table, name, ConfigType.DURATION, defaultValue);
        }

        public Builder<List<Duration>> durations(List<Duration> defaultValue) {
            return new Builder<>(table, name, ConfigType.DURATION_LIST, defaultValue);
        }

        public <E extends Enum<E>> Builder<E> oneOf(Class<E> type, E defaultValue) {
            return new Builder<>(table, name, ConfigType.enumOf(type), defaultValue);
        }
    }

    /** The rest of a declaration: rules, then the doc line that ends it. */
    public static final class Builder<T> {
        private final ConfigTable table;
        private final String name;
        private final ConfigType<T> type;
        private final T defaultValue;
        private final List<Rule<T>> rules = new ArrayList<>();
        private String defaultText;
        private boolean required;

        private Builder(ConfigTable table, String name, ConfigType<T> type, T defaultValue) {
            this.table = table;
            this.name = name;
            this.type = type;
            this.defaultValue = defaultValue;
        }

        /** Inclusive bounds: {@code an integer between 1 and 10000}, {@code a duration between 10ms and 1m}. */
        public <C extends Comparable<? super C>> Builder<T> between(C min, C max) {
            @SuppressWarnings("unchecked")
            Predicate<T> inRange = v -> ((C) v).compareTo(min) >= 0 && ((C) v).compareTo(max) <= 0;
            @SuppressWarnings("unchecked")
            String bounds = type.format((T) min) + " and " + type.format((T) max);
            return check(noun() + " between " + bounds, inRange);
        }

        /** Any other rule, with how an error says what was expected ({@code "a jdbc:postgresql: URL"}). */
        public Builder<T> check(String expected, Predicate<? super T> test) {
            rules.add(new Rule<>(test, expected));
            return this;
        }

        /** Refuses a value that is blank after trimming. */
        public Builder<T> nonBlank(String expected) {
            return check(expected, v -> !v.toString().isBlank());
        }

        /** Start-up stops when the key is not set. */
        public Builder<T> required() {
            this.required = true;
            return this;
        }

        /** How the reference shows a default that is derived or machine-dependent ({@code same as db-writer.consumers}). */
        public Builder<T> defaultText(String text) {
            this.defaultText = text;
            return this;
        }

        /** Ends the declaration and adds the key to its table. */
        public ConfigKey<T> doc(String doc) {
            ConfigKey<T> key = new ConfigKey<>(this, doc);
            if (table != null) {
                table.add(key);
            }
            return key;
        }

        private String noun() {
            return switch (type.name()) {
                case "int" -> "an integer";
                case "double" -> "a number";
                case "duration" -> "a duration";
                default -> "a " + type.name().toLowerCase(Locale.ROOT);
            };
        }
    }
}
