package dev.paypipe.control;

/**
 * What a process does when the fleet is told to pause, resume or change its breaker. Implementations
 * must be idempotent (the same command may arrive twice) and quick: they are called on the control
 * follower's thread.
 */
public interface ControlTarget {
    /** Stop fetching new work; calls already in flight finish. */
    void pause(String reason, String by);

    void resume();

    void breaker(BreakerMode mode);

    /** A target for processes without a gateway (db-writer, ledger): breaker commands are ignored. */
    static ControlTarget pauseOnly(Runnable pause, Runnable resume) {
        return new ControlTarget() {
            @Override
            public void pause(String reason, String by) {
                pause.run();
            }

            @Override
            public void resume() {
                resume.run();
            }

            @Override
            public void breaker(BreakerMode mode) {
            }
        };
    }
}
