package dev.paypipe.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How a config value is written and read: its name in the reference ({@code int}, {@code duration}), what a
 * readable value looks like (the "expected" of an error), the parser and how a value is shown again. A value
 * of a {@link #secret() secret} type (the {@code password} type) is never shown, only whether it is set.
 *
 * @param <T> the Java type of a parsed value
 */
public final class ConfigType<T> {
    public static final ConfigType<String> STRING = new ConfigType<>("string", "a string", s -> s, s -> s, false);
    /** A string that is never printed or logged: API keys, tokens, passwords. */
    public static final ConfigType<String> PASSWORD = new ConfigType<>("password", "a string", s -> s, s -> s, true);
    public static final ConfigType<Integer> INT = new ConfigType<>("int", "an integer", ConfigType::parseInt,
            String::valueOf, false);
    public static final ConfigType<Double> DOUBLE = new ConfigType<>("double", "a number", ConfigType::parseDouble,
            ConfigType::formatDouble, false);
    public static final ConfigType<Boolean> BOOLEAN = new ConfigType<>("boolean", "true or false",
            ConfigType::parseBoolean, String::valueOf, false);
    /** {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601 {@code PT5S}. */
    public static final ConfigType<Duration> DURATION = new ConfigType<>("duration",
            "a duration such as 250ms, 5s, 2m or PT5S", ConfigSource::parseDuration, ConfigType::formatDuration, false);
    /** A comma-separated list of durations, e.g. {@code 1s,5s,30s}. */
    public static final ConfigType<List<Duration>> DURATION_LIST = new ConfigType<>("list of durations",
            "a comma-separated list of durations such as 1s,5s,30s,2m,10m", ConfigType::parseDurations,
            ds -> ds.stream().map(ConfigType::formatDuration).collect(Collectors.joining(",")), false);

    private final String name;
    private final String expected;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;
    private final boolean secret;

    private ConfigType(String name, String expected, Function<String, T> parser, Function<T, String> formatter,
            boolean secret) {
        this.name = name;
        this.expected = expected;
        this.parser = parser;
        this.formatter = formatter;
        this.secret = secret;
    }

    /** One of {@code type}'s constants, case-insensitive, {@code -} for {@code _} ({@code copy-merge}, {@code COPY_MERGE}). */
    public static <E extends Enum<E>> ConfigType<E> enumOf(Class<E> type) {
        String names = Arrays.stream(type.getEnumConstants()).map(ConfigType::formatEnum)
                .collect(Collectors.joining(", "));
        return new ConfigType<>("enum", "one of " + names, s -> parseEnum(type, s), ConfigType::formatEnum, false);
    }

    public String name() {
        return name;
    }

    /** What a readable value looks like, as an error message says it ({@code an integer}). */
    public String expected() {
        return expected;
    }

    public boolean secret() {
        return secret;
    }

    /** The value, or null when {@code raw} cannot be read as this type. */
    T parse(String raw) {
        return parser.apply(raw);
    }

    /** The value as a user would write it ({@code 5s}, not {@code PT5S}). */
    public String format(T value) {
        return value == null ? "" : formatter.apply(value);
    }

    /** {@code 250ms}, {@code 5s}, {@code 2m}, {@code 168h}: the largest unit that divides the duration. */
    public static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (d.toNanos() % 1_000_000 != 0) {
            return d.toString();
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    private static Integer parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double parseDouble(String s) {
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String formatDouble(Double d) {
        return d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(d);
    }

    private static Boolean parseBoolean(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> null;
        };
    }

    private static List<Duration> parseDurations(String s) {
        List<Duration> values = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            Duration d = ConfigSource.parseDuration(part);
            if (d == null) {
                return null;
            }
            values.add(d);
        }
        return List.copyOf(values);
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String s) {
        String wanted = s.trim().replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(wanted)) {
                return constant;
            }
        }
        return null;
    }

    private static String formatEnum(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
