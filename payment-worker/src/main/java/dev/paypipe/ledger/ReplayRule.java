package dev.paypipe.ledger;

import dev.paypipe.model.PaymentStatus;

/**
 * Which replayed requests ({@code paypipe dlq replay}) the door re-drives. The money rule: only a payment whose one
 * published result says it is certainly not charged (FAILED) or may have been charged (UNKNOWN, where the gateway's
 * idempotency key returns the first charge) is sent to the worker again, and only when no attempt series for it is
 * under way, so the one new result the exit accepts is the replay's.
 */
final class ReplayRule {
    private ReplayRule() {
    }

    /**
     * Null when a replay with the first request's fingerprint may re-drive this payment, else why not (the
     * {@code reason} of the {@code replay_refused} log line). The fingerprint is checked before: a replay with other
     * values is an idempotency conflict like any other copy.
     */
    static String refusal(LedgerEntry entry) {
        return switch (entry.phase()) {
            case ACCEPTED, RETRYING -> "the payment is still under way (" + entry.phase()
                    + "): its own result is coming";
            case REPLAYING -> "an earlier replay of this payment is still under way: its result is coming";
            case FINAL -> {
                if (entry.status() != PaymentStatus.FAILED && entry.status() != PaymentStatus.UNKNOWN) {
                    yield "the payment is settled " + entry.status() + ": a replay would contradict its result";
                }
                if (entry.fingerprint() == null) {
                    yield "the ledger never accepted this payment's first request (its result came without an entry),"
                            + " so it cannot tell whether this copy asks for the same payment";
                }
                yield null;
            }
        };
    }
}
