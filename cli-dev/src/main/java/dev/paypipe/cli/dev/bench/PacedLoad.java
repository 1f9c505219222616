package dev.paypipe.cli.dev.bench;

import dev.paypipe.cli.dev.PipelineRig;
import dev.paypipe.load.PaymentFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Publishes payments at a fixed rate, the way order services do, one rate at a time: each {@link #run} call
 * publishes at its rate for its duration and catches up when a pause (GC, a busy core) put it behind, so the
 * offered load is the rate itself, not a burst. Payment ids continue across calls ({@code demo-000000}...),
 * up to the capacity of the rig's result watch.
 */
final class PacedLoad {
    private static final long TICK_NANOS = 1_000_000L;

    private final PipelineRig rig;
    private final int capacity;
    private final PaymentFactory factory = new PaymentFactory("demo");
    private final AtomicLong failures = new AtomicLong();
    private int published;

    PacedLoad(PipelineRig rig, int capacity) {
        this.rig = rig;
        this.capacity = capacity;
    }

    /**
     * Publishes {@code rate} payments per second for {@code seconds}, or until {@code keepGoing} turns false
     * (asked about once a millisecond, so it also serves as the caller's sampling hook).
     *
     * @return payments published by this call
     */
    int run(double rate, double seconds, BooleanSupplier keepGoing) {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        int first = published;
        long now;
        while ((now = System.nanoTime()) < end && keepGoing.getAsBoolean()) {
            long due = (long) ((now - start) / 1e9 * rate);
            while (published - first < due) {
                publishOne();
            }
            LockSupport.parkNanos(TICK_NANOS); // the pacing period
        }
        rig.publisher().flush();
        return published - first;
    }

    private void publishOne() {
        if (published >= capacity) {
            throw new IllegalStateException("bench load reached the result watch's capacity of " + capacity
                    + " payments; raise the scenario's capacity or shorten its steps");
        }
        int i = published++;
        rig.watch().published(i);
        rig.publisher().publish(factory.request(i)).whenComplete((md, e) -> {
            if (e != null) {
                failures.incrementAndGet();
            }
        });
    }

    /** Payments published so far, all calls together. */
    int published() {
        return published;
    }

    /** Publishes the broker refused (they never enter the pipeline, so they count as not delivered). */
    long failures() {
        return failures.get();
    }
}
