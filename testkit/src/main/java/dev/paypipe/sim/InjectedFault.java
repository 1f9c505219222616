package dev.paypipe.sim;

/**
 * The faults the simulator injects per charge attempt, in the order their probabilities are stacked.
 * "Charged" means the attempt decided and recorded the key's outcome (or replayed the stored one): a
 * client that meets a charged fault must look the key up or retry it, never conclude "not charged".
 */
public enum InjectedFault {
    /** Swallowed before anything happens: nothing charged, {@code 504} after {@code hangTime}. */
    TIMEOUT_BEFORE_CHARGE(false),
    /** Charged and recorded, but the response is held for {@code hangTime}. */
    TIMEOUT_AFTER_CHARGE(true),
    /** {@code 500}, nothing charged. */
    SERVER_ERROR(false),
    /** {@code 429} with {@code Retry-After}, nothing charged. */
    RATE_LIMIT(false),
    /** {@code 503} with {@code Retry-After}, nothing charged. */
    UNAVAILABLE(false),
    /** Charged and recorded, then the connection is reset (TCP RST) before any byte of the response. */
    RESET_AFTER_CHARGE(true),
    /** Charged and recorded, then {@code 500}. */
    SERVER_ERROR_AFTER_CHARGE(true),
    /** Charged and recorded, then {@code 200} with a body that is not JSON. */
    GARBAGE_200(true),
    /** Charged and recorded, then {@code 200} with JSON lacking {@code id} or {@code status}, or cut short. */
    INCOMPLETE_200(true),
    /** Charged and recorded, then the real response drips one byte every {@code dripInterval}. */
    SLOW_DRIP(true);

    private final boolean charges;

    InjectedFault(boolean charges) {
        this.charges = charges;
    }

    /** Whether the attempt that meets this fault goes through the charge (and records the outcome) first. */
    public boolean charges() {
        return charges;
    }
}
