package dev.paypipe.sim;

/** The faults the simulator injects per charge attempt, in the order their probabilities are stacked. */
public enum InjectedFault {
    /** Swallowed before anything happens: nothing charged, {@code 504} after {@code hangTime}. */
    TIMEOUT_BEFORE_CHARGE,
    /** Charged and recorded, but the response is held for {@code hangTime}. */
    TIMEOUT_AFTER_CHARGE,
    /** {@code 500}, nothing charged. */
    SERVER_ERROR,
    /** {@code 429} with {@code Retry-After}, nothing charged. */
    RATE_LIMIT,
    /** {@code 503} with {@code Retry-After}, nothing charged. */
    UNAVAILABLE
}
