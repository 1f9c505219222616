package dev.paypipe.model;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The rules of the strict door check that depend on where and when it runs: the clock, how far in
 * the future a {@code createdAt} may lie (producer clock skew), and how old it may be (the ledger's
 * retention: a request older than that could be a replay the ledger no longer remembers).
 *
 * @param maxFutureSkew a {@code createdAt} later than now plus this is refused (default 5 minutes)
 * @param maxAge a {@code createdAt} earlier than now minus this is refused (default 7 days, the ledger's retention)
 */
public record RequestRules(Clock clock, Duration maxFutureSkew, Duration maxAge) {

    public static final Duration DEFAULT_SKEW = Duration.ofMinutes(5);
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);

    public RequestRules {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxFutureSkew.isNegative() || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxFutureSkew must be >= 0 and maxAge > 0, were " + maxFutureSkew
                    + " and " + maxAge);
        }
    }

    public static RequestRules defaults(Clock clock) {
        return new RequestRules(clock, DEFAULT_SKEW, DEFAULT_MAX_AGE);
    }

    /** The problem with {@code createdAt} under these rules, or null when it is within the window. */
    String createdAtProblem(Instant createdAt) {
        Instant now = clock.instant();
        if (createdAt.isAfter(now.plus(maxFutureSkew))) {
            return "createdAt: more than " + maxFutureSkew + " in the future (ledger clock " + now
                    + "); check the producer's clock";
        }
        if (createdAt.isBefore(now.minus(maxAge))) {
            return "createdAt: older than the ledger's retention of " + maxAge + " (ledger clock " + now
                    + "): a request that old cannot be told apart from a forgotten replay; publish it under a new paymentId";
        }
        return null;
    }
}
