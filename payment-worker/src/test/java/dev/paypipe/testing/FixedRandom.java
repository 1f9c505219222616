package dev.paypipe.testing;

import java.util.random.RandomGenerator;

/**
 * A {@link RandomGenerator} whose bounded draws sit at a fixed fraction of the bound, so jittered
 * delays are exact in tests: {@code max()} always draws {@code bound - 1}, {@code min()} always 0.
 */
public final class FixedRandom implements RandomGenerator {
    private final double fraction;

    private FixedRandom(double fraction) {
        this.fraction = fraction;
    }

    /** Draws the largest allowed value: the jitter equals the ceiling. */
    public static FixedRandom max() {
        return new FixedRandom(1.0);
    }

    /** Draws 0: no jitter delay at all. */
    public static FixedRandom min() {
        return new FixedRandom(0.0);
    }

    @Override
    public long nextLong() {
        return 0;
    }

    @Override
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, was " + bound);
        }
        return Math.min(bound - 1, (long) Math.floor(fraction * bound));
    }
}
