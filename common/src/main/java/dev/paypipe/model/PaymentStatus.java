package dev.paypipe.model;

/**
 * The final state of a payment as published on {@code payment-results}.
 *
 * <p>Every status here is final for the pipeline; {@link #UNKNOWN} is the one final state that a
 * reconciliation may still replace with what the gateway really did.
 */
public enum PaymentStatus {
    /** The gateway charged the payment method. */
    APPROVED(3),
    /** The gateway refused the charge (insufficient funds, fraud rules, ...). */
    DECLINED(3),
    /** The request itself was invalid; the gateway was never asked. */
    REJECTED(3),
    /** Certainly not charged: no attempt could have reached the gateway's ledger. */
    FAILED(2),
    /** May have been charged: ambiguous attempts were exhausted. Must be reconciled. */
    UNKNOWN(1);

    private final int precedence;

    PaymentStatus(int precedence) {
        this.precedence = precedence;
    }

    /**
     * Higher wins when two results for one payment meet: a settled outcome replaces
     * {@code UNKNOWN}, never the other way round. Used by the db-writer's upsert.
     */
    public int precedence() {
        return precedence;
    }

    /** True when the outcome is known for certain and no reconciliation can change it. */
    public boolean isSettled() {
        return this != UNKNOWN;
    }
}
