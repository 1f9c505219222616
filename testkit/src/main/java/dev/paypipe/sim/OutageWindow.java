package dev.paypipe.sim;

import java.time.Duration;
import java.util.Objects;

/** A scripted outage: starts {@code startAfter} the simulator started and lasts {@code length}. */
public record OutageWindow(Duration startAfter, Duration length) {
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

    Duration end() {
        return startAfter.plus(length);
    }

    @Override
    public String toString() {
        return "outage(+" + startAfter.toMillis() + " ms for " + length.toMillis() + " ms)";
    }
}
