package dev.paypipe.sim;

/** The faults injected per {@code GET /v1/charges} look-up; neither reads past nor changes the ledger. */
public enum LookupFault {
    /** {@code 500} after the latency. */
    FAILURE,
    /** Held for {@code hangTime}, then {@code 504}. */
    TIMEOUT
}
