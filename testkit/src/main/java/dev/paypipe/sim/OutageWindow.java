package dev.paypipe.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * A scripted outage: starts {@code startAfter} the simulator started (or, for
 * {@link GatewaySimulator#scheduleOutages}, after the call) and lasts {@code length}.
 *
 * @param mode what charges see during it; {@code null} follows {@link SimulatorConfig#outageMode()}
 */
public record OutageWindow(Duration startAfter, Duration length, OutageMode mode) {
    public OutageWindow {
        Objects.requireNonNull(startAfter, "outage.startAfter");
        Objects.requireNonNull(length, "outage.length");
        if (startAfter.isNegative()) {
            throw new IllegalArgumentException("outage.startAfter must be >= 0, got " + startAfter);
        }
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("outage.length must be > 0, got " + length);
        }
    }

    /** A window in the config's {@link SimulatorConfig#outageMode()}. */
    public OutageWindow(Duration startAfter, Duration length) {
        this(startAfter, length, null);
    }

    /** The mode in force for this window under {@code config}. */
    OutageMode modeIn(SimulatorConfig config) {
        return mode == null ? config.outageMode() : mode;
    }

    Duration end() {
        return startAfter.plus(length);
    }

    @Override
    public String toString() {
        return "outage(+" + startAfter.toMillis() + " ms for " + length.toMillis() + " ms"
                + (mode == null ? "" : ", " + mode) + ")";
    }
}
