package dev.paypipe.dispatch;

import java.time.Clock;
import java.time.Duration;

/**
 * How many gateway calls may be open right now. Follows the circuit breaker: none while it is open,
 * a few probes while half-open, and after it closes a linear ramp from {@code floor} back to
 * {@code max} over {@code rampPeriod}, so a recovering gateway is not hit by the whole backlog at once.
 */
public final class InFlightLimit {
    /** The breaker states the limit follows. */
    public enum Mode { CLOSED, HALF_OPEN, OPEN }

    private final int max;
    private final int floor;
    private final int probes;
    private final Duration rampPeriod;
    private final Clock clock;
    private volatile Mode mode = Mode.CLOSED;
    private volatile long closedAtMillis = Long.MIN_VALUE;

    public InFlightLimit(int max, int probes, Duration rampPeriod, Clock clock) {
        if (max < 1) {
            throw new IllegalArgumentException("worker.max-in-flight must be >= 1, was " + max);
        }
        this.max = max;
        this.floor = Math.max(1, Math.min(max, Math.max(probes, max / 20)));
        this.probes = Math.max(1, Math.min(probes, max));
        this.rampPeriod = rampPeriod;
        this.clock = clock;
    }

    /** Called on breaker state transitions (from any thread). */
    public void onMode(Mode next) {
        if (next == Mode.CLOSED && mode != Mode.CLOSED) {
            closedAtMillis = clock.millis();
        }
        mode = next;
    }

    public Mode mode() {
        return mode;
    }

    /** The current limit. */
    public int current() {
        return switch (mode) {
            case OPEN -> 0;
            case HALF_OPEN -> probes;
            case CLOSED -> ramped();
        };
    }

    private int ramped() {
        long since = closedAtMillis;
        if (since == Long.MIN_VALUE || rampPeriod.isZero()) {
            return max;
        }
        long elapsed = clock.millis() - since;
        long period = rampPeriod.toMillis();
        if (elapsed >= period) {
            return max;
        }
        return (int) (floor + (max - floor) * Math.max(0, elapsed) / period);
    }

    public int max() {
        return max;
    }
}
