package dev.paypipe.gateway;

import java.time.Duration;

/**
 * Schedules the expiry of gateway calls: one shared timer, not a thread per call. A call cancels its
 * expiry when it finishes in time, so at thousands of calls per second nothing piles up.
 */
public interface CallDeadlines extends AutoCloseable {

    /** Runs {@code onExpiry} once, when {@code timeout} has passed, unless the expiry is cancelled first. */
    Expiry schedule(Duration timeout, Runnable onExpiry);

    /** Expiries scheduled and neither run nor cancelled yet. */
    int pending();

    @Override
    void close();

    /** A scheduled expiry. */
    interface Expiry {
        /** Cancels the expiry if it has not run yet; harmless after it has. */
        void cancel();
    }
}
