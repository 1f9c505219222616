package dev.paypipe.control;

import java.util.Locale;

/**
 * What operators can tell every worker's circuit breaker: {@link #RESET} closes it and clears its
 * statistics once, {@link #FORCE_OPEN} holds it open (no gateway calls) until the next command,
 * {@link #AUTO} hands it back to its failure-rate and slow-call rules.
 */
public enum BreakerMode {
    RESET, FORCE_OPEN, AUTO;

    /** {@code reset}, {@code force-open}, {@code auto}: the spelling of the CLI and the admin paths. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@link #cliName()} or the constant name, case-insensitive. */
    public static BreakerMode parse(String value) {
        String normalised = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (BreakerMode mode : values()) {
            if (mode.name().equals(normalised)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown breaker mode '" + value + "': expected reset, force-open or auto");
    }
}
