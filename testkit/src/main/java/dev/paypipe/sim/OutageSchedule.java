package dev.paypipe.sim;

import java.time.Duration;
import java.util.function.LongSupplier;

/** Scripted outage windows (relative to server start) plus outages begun and ended at runtime. */
final class OutageSchedule {
    private final LongSupplier nanoClock;
    private final long startNanos;
    /** Null when no runtime outage is set; boxed so "none" needs no sentinel that could overflow. */
    private volatile Long runtimeUntilNanos;
    private volatile Long scriptedSuppressedUntilNanos;

    OutageSchedule(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    boolean active(SimulatorConfig config) {
        long now = nanoClock.getAsLong();
        Long runtimeUntil = runtimeUntilNanos;
        if (runtimeUntil != null && now - runtimeUntil < 0) {
            return true;
        }
        Long suppressedUntil = scriptedSuppressedUntilNanos;
        if (config.outages().isEmpty() || suppressedUntil != null && now - suppressedUntil < 0) {
            return false;
        }
        return activeScriptedEnd(config, now) != Long.MIN_VALUE;
    }

    void begin(Duration length) {
        runtimeUntilNanos = nanoClock.getAsLong() + length.toNanos();
    }

    /** Ends the runtime outage and any scripted window open right now (later windows still happen). */
    void end(SimulatorConfig config) {
        long now = nanoClock.getAsLong();
        runtimeUntilNanos = null;
        long scriptedEnd = activeScriptedEnd(config, now);
        if (scriptedEnd != Long.MIN_VALUE) {
            scriptedSuppressedUntilNanos = scriptedEnd;
        }
    }

    private long activeScriptedEnd(SimulatorConfig config, long now) {
        long sinceStart = now - startNanos;
        long end = Long.MIN_VALUE;
        for (OutageWindow window : config.outages()) {
            if (sinceStart >= window.startAfter().toNanos() && sinceStart < window.end().toNanos()) {
                end = Math.max(end, startNanos + window.end().toNanos());
            }
        }
        return end;
    }
}
