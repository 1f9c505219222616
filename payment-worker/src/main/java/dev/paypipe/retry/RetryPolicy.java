package dev.paypipe.retry;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When to try a payment again and where it waits meanwhile.
 *
 * <p>Delay after attempt {@code n} (1-based) is full jitter, {@code random(0, min(cap, base * 2^n))},
 * raised to the gateway's {@code Retry-After} when it sent one. The record waits in the smallest tier
 * whose delay covers that delay (the longest tier when none does), so a record that is not yet due
 * holds up the records behind it for at most its tier's delay.
 *
 * @param tiers retry tier delays, strictly increasing (default 1s, 5s, 30s, 2m, 10m)
 * @param base backoff base
 * @param cap the largest backoff
 * @param maxAttempts attempts in total, the first one included; after the last, the payment ends
 */
public record RetryPolicy(List<Duration> tiers, Duration base, Duration cap, int maxAttempts) {

    public static final List<Duration> DEFAULT_TIERS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(10));

    public RetryPolicy {
        Objects.requireNonNull(tiers, "tiers");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        tiers = List.copyOf(tiers);
        if (tiers.isEmpty()) {
            throw new IllegalArgumentException("retry.tiers: at least one tier is required");
        }
        for (int i = 1; i < tiers.size(); i++) {
            if (tiers.get(i).compareTo(tiers.get(i - 1)) <= 0) {
                throw new IllegalArgumentException("retry.tiers: must be strictly increasing, was " + tiers);
            }
        }
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("retry.base: must be positive, was " + base);
        }
        if (cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("retry.cap: must be >= retry.base (" + base + "), was " + cap);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry.max-attempts: must be >= 1, was " + maxAttempts);
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(DEFAULT_TIERS, Duration.ofMillis(500), Duration.ofMinutes(10), 8);
    }

    /** Whether another attempt is allowed after {@code attemptsMade} attempts. */
    public boolean canRetry(int attemptsMade) {
        return attemptsMade < maxAttempts;
    }

    /**
     * The delay before the next attempt after {@code attemptsMade} attempts.
     *
     * @param retryAfter the gateway's hint, or null
     */
    public Duration backoff(int attemptsMade, Duration retryAfter, RandomGenerator random) {
        long ceiling = ceilingMillis(attemptsMade);
        long jittered = ceiling <= 0 ? 0 : random.nextLong(ceiling + 1);
        long delay = retryAfter == null ? jittered : Math.max(jittered, retryAfter.toMillis());
        return Duration.ofMillis(delay);
    }

    /** {@code min(cap, base * 2^n)} in millis, without overflow. */
    long ceilingMillis(int attemptsMade) {
        int shift = Math.min(Math.max(attemptsMade, 0), 40);
        long b = base.toMillis();
        long capMillis = cap.toMillis();
        if (b > (capMillis >> shift)) {
            return capMillis;
        }
        return Math.min(capMillis, b << shift);
    }

    /** The smallest tier whose delay covers {@code delay}; the longest tier when none does. */
    public Duration tierFor(Duration delay) {
        for (Duration tier : tiers) {
            if (tier.compareTo(delay) >= 0) {
                return tier;
            }
        }
        return tiers.get(tiers.size() - 1);
    }
}
