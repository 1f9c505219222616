package dev.paypipe.sim;

/** What a charge attempt sees while the simulated gateway is in an outage. Nothing is ever charged. */
public enum OutageMode {
    /** A fast {@code 503} without {@code Retry-After}. */
    UNAVAILABLE,
    /** The request hangs for {@code hangTime}, then gets a {@code 504}. */
    TIMEOUT,
    /**
     * The request gets no answer at all while the outage lasts: it is held until the outage ends (or
     * {@code hangTime} passes, if sooner), then answered {@code 503}. Clients must time out by themselves.
     */
    HANG
}
