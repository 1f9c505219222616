package dev.paypipe.sim;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Scripted outage windows (relative to server start) plus outages begun, scheduled and ended at runtime.
 * Reads time only from the injected nanosecond clock.
 */
final class OutageSchedule {
    private final LongSupplier nanoClock;
    private final long startNanos;
    /** Runtime windows on the nanosecond clock; few, and read on every charge, so copy-on-write. */
    private final List<Runtime> runtime = new CopyOnWriteArrayList<>();
    /** Boxed so "none" needs no sentinel that could overflow. */
    private volatile Long scriptedSuppressedUntilNanos;

    /** An outage in force: its mode and when it ends, on the nanosecond clock. */
    record Active(OutageMode mode, long endNanos) {
    }

    private record Runtime(long fromNanos, long untilNanos, OutageMode mode) {
        boolean covers(long now) {
            return now - fromNanos >= 0 && now - untilNanos < 0;
        }
    }

    OutageSchedule(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    long now() {
        return nanoClock.getAsLong();
    }

    boolean active(SimulatorConfig config) {
        return current(config) != null;
    }

    /** The outage in force now, or {@code null} when the gateway is up; the latest-ending one wins. */
    Active current(SimulatorConfig config) {
        long now = nanoClock.getAsLong();
        Active found = null;
        for (Runtime window : runtime) {
            if (window.covers(now)) {
                found = later(found, new Active(window.mode == null ? config.outageMode() : window.mode,
                        window.untilNanos));
            }
        }
        Long suppressedUntil = scriptedSuppressedUntilNanos;
        if (config.outages().isEmpty() || suppressedUntil != null && now - suppressedUntil < 0) {
            return found;
        }
        long sinceStart = now - startNanos;
        for (OutageWindow window : config.outages()) {
            if (sinceStart >= window.startAfter().toNanos() && sinceStart < window.end().toNanos()) {
                found = later(found, new Active(window.modeIn(config), startNanos + window.end().toNanos()));
            }
        }
        return found;
    }

    /** An outage from now for {@code length}; {@code mode} null follows the config's. */
    void begin(Duration length, OutageMode mode) {
        long now = nanoClock.getAsLong();
        runtime.add(new Runtime(now, now + length.toNanos(), mode));
    }

    /** Windows relative to now, e.g. the two outages of {@link FaultMix#hostileOutages}. */
    void schedule(List<OutageWindow> windows) {
        long now = nanoClock.getAsLong();
        for (OutageWindow w : windows) {
            runtime.add(new Runtime(now + w.startAfter().toNanos(), now + w.end().toNanos(), w.mode()));
        }
    }

    /**
     * Ends every runtime outage and scripted window open right now; later windows, scripted or scheduled,
     * still happen.
     */
    void end(SimulatorConfig config) {
        long now = nanoClock.getAsLong();
        runtime.removeIf(w -> w.covers(now) || now - w.untilNanos >= 0);
        long sinceStart = now - startNanos;
        long scriptedEnd = Long.MIN_VALUE;
        boolean open = false;
        for (OutageWindow window : config.outages()) {
            if (sinceStart >= window.startAfter().toNanos() && sinceStart < window.end().toNanos()) {
                scriptedEnd = open ? Math.max(scriptedEnd, startNanos + window.end().toNanos())
                        : startNanos + window.end().toNanos();
                open = true;
            }
        }
        if (open) {
            scriptedSuppressedUntilNanos = scriptedEnd;
        }
    }

    private static Active later(Active a, Active b) {
        return a == null || b.endNanos - a.endNanos > 0 ? b : a;
    }
}
