package dev.paypipe.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.TypeConversionException;

/** Enum option values as operators type them: {@code cloudformation}, {@code results}, any case, {@code -} for {@code _}. */
final class CliEnums {
    private CliEnums() {
    }

    static <E extends Enum<E>> E parse(Class<E> type, String value, String option) {
        String normalised = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(normalised)) {
                return constant;
            }
        }
        throw new TypeConversionException(option + " '" + value + "': expected one of " + Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-')).collect(Collectors.joining(", ")));
    }
}
