package dev.paypipe.control;

import java.time.Instant;

/**
 * The fleet's standing orders as folded from the control topic: paused or not (by whom, why,
 * since when) and the breaker mode. {@link #RUNNING} is the state of an empty topic.
 */
public record ControlState(boolean paused, String pauseReason, String pausedBy, Instant pausedAt,
        BreakerMode breakerMode) {

    public static final ControlState RUNNING = new ControlState(false, null, null, null, BreakerMode.AUTO);

    /** The state after {@code message}. A breaker {@code reset} is a one-shot action: it leaves the mode at auto. */
    public ControlState apply(ControlMessage message) {
        if (message instanceof ControlMessage.Pause p) {
            return new ControlState(true, p.reason(), p.by(), p.at(), breakerMode);
        }
        if (message instanceof ControlMessage.Resume) {
            return new ControlState(false, null, null, null, breakerMode);
        }
        BreakerMode mode = ((ControlMessage.Breaker) message).mode();
        return new ControlState(paused, pauseReason, pausedBy, pausedAt, mode == BreakerMode.RESET ? BreakerMode.AUTO : mode);
    }
}
