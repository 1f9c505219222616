package dev.paypipe.persistence;

import java.time.Duration;

/** Exponential backoff for retrying a batch while the database is unavailable: initial, x2, ... capped. */
public record RetryBackoff(Duration initial, Duration max) {
    public RetryBackoff {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be > 0, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is below the initial backoff " + initial);
        }
    }

    /** The wait after the {@code failures}-th consecutive failure (1-based). */
    public Duration delayAfter(int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 30));
        long millis = initial.toMillis() << doublings;
        return millis >= max.toMillis() || millis <= 0 ? max : Duration.ofMillis(millis);
    }
}
