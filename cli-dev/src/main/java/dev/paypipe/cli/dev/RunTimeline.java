package dev.paypipe.cli.dev;

import dev.paypipe.model.PaymentStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a demo run looked like over time: one {@link Sample} a second, taken by the demo's loop, for the live view
 * and the HTML report. Plain data; the samples' times are passed in.
 */
final class RunTimeline {
    /**
     * The pipeline at one moment.
     *
     * @param seconds time since the run's start
     * @param published first copies of payments published so far
     * @param results payments with a final result so far, and how many of each status ({@code byStatus})
     * @param throughput payments that got their first result per second, over the interval before this sample
     * @param p50Ms median publish-to-result latency of the interval's results; -1 when the interval had none
     * @param p99Ms 99th percentile of the same; -1 when the interval had none
     * @param inFlight gateway calls open
     * @param breaker the worker's breaker state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, ...)
     * @param paused whether the worker had stopped fetching: breaker open or an operator pause
     * @param outage whether the simulated gateway was in its outage
     * @param retryBacklog records waiting per retry tier (label → records; -1 not known), in tier order
     * @param dbConnections the most db-writer connections seen during the interval
     * @param dbRows result rows in PostgreSQL
     */
    record Sample(double seconds, long published, long results, Map<PaymentStatus, Long> byStatus,
            double throughput, long p50Ms, long p99Ms, int inFlight, String breaker, boolean paused, boolean outage,
            Map<String, Long> retryBacklog, long dbConnections, long dbRows) {

        Sample {
            byStatus = Map.copyOf(byStatus);
            retryBacklog = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(retryBacklog));
        }

        boolean breakerOpen() {
            return !"CLOSED".equals(breaker) && !"HALF_OPEN".equals(breaker);
        }

        boolean breakerHalfOpen() {
            return "HALF_OPEN".equals(breaker);
        }

        long retryBacklogTotal() {
            return retryBacklog.values().stream().mapToLong(n -> Math.max(0, n)).sum();
        }
    }

    /** A stretch of time, in seconds since the start, during which some condition held. */
    record Period(double from, double to) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final int payments;
    private final int dbPoolCap;

    RunTimeline(int payments, int dbPoolCap) {
        this.payments = payments;
        this.dbPoolCap = dbPoolCap;
    }

    void add(Sample sample) {
        if (!samples.isEmpty() && sample.seconds() < last().seconds()) {
            throw new IllegalArgumentException("samples must come in time order: " + sample.seconds() + " s after "
                    + last().seconds() + " s");
        }
        samples.add(sample);
    }

    List<Sample> samples() {
        return Collections.unmodifiableList(samples);
    }

    boolean isEmpty() {
        return samples.isEmpty();
    }

    Sample last() {
        return samples.get(samples.size() - 1);
    }

    int payments() {
        return payments;
    }

    int dbPoolCap() {
        return dbPoolCap;
    }

    /** The retry tiers' labels as the samples name them, in tier order. */
    List<String> retryTiers() {
        return samples.isEmpty() ? List.of() : List.copyOf(samples.get(0).retryBacklog().keySet());
    }

    /**
     * The stretches during which {@code condition} held: each runs from the first sample that meets it to the first
     * sample after that does not (or to the last sample), so a condition seen in one sample covers one interval.
     */
    List<Period> periods(Predicate<Sample> condition) {
        List<Period> periods = new ArrayList<>();
        Double from = null;
        for (Sample s : samples) {
            boolean holds = condition.test(s);
            if (holds && from == null) {
                from = s.seconds();
            } else if (!holds && from != null) {
                periods.add(new Period(from, s.seconds()));
                from = null;
            }
        }
        if (from != null) {
            periods.add(new Period(from, last().seconds()));
        }
        return periods;
    }
}
