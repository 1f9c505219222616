package dev.paypipe.processing;

import dev.paypipe.model.PaymentResult;
import java.time.Duration;
import java.time.Instant;

/** What {@code paypipe reconcile} does with one UNKNOWN payment after looking it up at the gateway. */
public sealed interface Reconciliation {

    /** The gateway has a charge for the key: publish its outcome, which replaces UNKNOWN. */
    record Settled(PaymentResult result) implements Reconciliation {
    }

    /**
     * The gateway holds no charge for the key, and the look-up was sent after the last ambiguous call's
     * deadline: charge again with the same idempotency key, through retry tier {@code tier}, not before
     * {@code dueAt}, with a fresh attempt budget {@code history} (no longer ambiguous).
     */
    record Redrive(AttemptHistory history, Duration tier, Instant dueAt, String reason) implements Reconciliation {
    }

    /**
     * Nothing can be decided yet: the look-up failed, or it found no charge before the last call's
     * deadline had passed. The payment stays UNKNOWN until a later run.
     *
     * @param lookupFailed true when the look-up itself failed (the operator should look at the gateway)
     */
    record Unresolved(String reason, boolean lookupFailed) implements Reconciliation {
    }
}
