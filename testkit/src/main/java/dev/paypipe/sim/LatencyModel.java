package dev.paypipe.sim;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long the simulated gateway takes to answer a charge or a lookup. Three models: {@link Fixed},
 * {@link Uniform} and {@link LogNormal} (a long right tail, like real card networks).
 */
public sealed interface LatencyModel permits LatencyModel.Fixed, LatencyModel.Uniform, LatencyModel.LogNormal {

    /** Draws one latency, in nanoseconds (never negative). */
    long sampleNanos();

    /** Every response takes exactly {@code latency}; zero answers on the I/O thread at once. */
    static LatencyModel fixed(Duration latency) {
        return new Fixed(latency);
    }

    /** Uniformly distributed between {@code min} and {@code max}, both inclusive. */
    static LatencyModel uniform(Duration min, Duration max) {
        return new Uniform(min, max);
    }

    /** Log-normal with the given median and 99th percentile; see {@link LogNormal}. */
    static LatencyModel logNormal(Duration median, Duration p99) {
        return new LogNormal(median, p99);
    }

    record Fixed(Duration latency) implements LatencyModel {
        public Fixed {
            requireNonNegative("latency", latency);
        }

        @Override
        public long sampleNanos() {
            return latency.toNanos();
        }

        @Override
        public String toString() {
            return "fixed(" + latency.toMillis() + " ms)";
        }
    }

    record Uniform(Duration min, Duration max) implements LatencyModel {
        public Uniform {
            requireNonNegative("latency.min", min);
            requireNonNegative("latency.max", max);
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("latency.max must be >= latency.min, got min=" + min + " max=" + max);
            }
        }

        @Override
        public long sampleNanos() {
            long lo = min.toNanos();
            long hi = max.toNanos();
            return lo == hi ? lo : ThreadLocalRandom.current().nextLong(lo, hi + 1);
        }

        @Override
        public String toString() {
            return "uniform(" + min.toMillis() + ".." + max.toMillis() + " ms)";
        }
    }

    /**
     * {@code median * exp(sigma * Z)} with Z standard normal and {@code sigma = ln(p99 / median) / 2.326}
     * (2.326 is the 99th percentile of Z), so the median and p99 come out as configured. Draws are
     * capped at {@code 10 * p99} so a single absurd sample cannot stall a test.
     */
    record LogNormal(Duration median, Duration p99) implements LatencyModel {
        private static final double Z_99 = 2.3263478740408408;

        public LogNormal {
            requireNonNegative("latency.median", median);
            requireNonNegative("latency.p99", p99);
            if (median.isZero() || p99.compareTo(median) < 0) {
                throw new IllegalArgumentException(
                        "latency.median must be > 0 and latency.p99 >= latency.median, got median=" + median + " p99=" + p99);
            }
        }

        @Override
        public long sampleNanos() {
            double medianNanos = median.toNanos();
            double sigma = Math.log(p99.toNanos() / medianNanos) / Z_99;
            double draw = medianNanos * Math.exp(sigma * ThreadLocalRandom.current().nextGaussian());
            return (long) Math.min(draw, 10.0 * p99.toNanos());
        }

        @Override
        public String toString() {
            return "logNormal(median " + median.toMillis() + " ms, p99 " + p99.toMillis() + " ms)";
        }
    }

    private static void requireNonNegative(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + " must be >= 0, got " + value);
        }
    }
}
