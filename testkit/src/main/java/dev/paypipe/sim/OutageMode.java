package dev.paypipe.sim;

/** What a charge attempt sees while the simulated gateway is in an outage. */
public enum OutageMode {
    /** A fast {@code 503} without {@code Retry-After}; nothing is charged. */
    UNAVAILABLE,
    /** The request hangs for {@code hangTime}, then gets a {@code 504}; nothing is charged. */
    TIMEOUT
}
