package dev.paypipe.ledger;

import dev.paypipe.model.PaymentStatus;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the ledger knows about one payment, keyed by paymentId in its store.
 *
 * <p>State machine: a new valid request is {@link Phase#ACCEPTED}; a retry progress report makes it
 * {@link Phase#RETRYING} (attempt n, due time, last error class); its first final result makes it
 * {@link Phase#FINAL}. A FINAL {@code UNKNOWN} may take exactly one settled result (APPROVED, DECLINED,
 * FAILED), after which {@code settledAfterUnknown} is set and nothing changes it any more. An invalid
 * request with a usable paymentId is FINAL {@code REJECTED} straight away, with no fingerprint.
 *
 * <p>Replay ({@code paypipe dlq replay}): a FINAL {@code FAILED} or {@code UNKNOWN} payment whose request comes back
 * with {@code paypipe-replayed-from} and the same fingerprint becomes {@link Phase#REPLAYING}: it keeps the status and
 * result already published, counts the replay in {@code replays}, and takes exactly one more final result (any
 * status), after which it is FINAL again and follows the rules above.
 *
 * @param fingerprint what the first request asked for ({@link Fingerprint}); null for REJECTED
 * @param acceptedAt when the door first saw the payment, epoch millis (ledger clock)
 * @param updatedAt the last change, epoch millis; the entry expires {@code ledger.retention} after it
 * @param dueAt epoch millis of the next retry attempt while RETRYING, else 0
 * @param result the final result exactly as published on payment-results (JSON), or null; while REPLAYING the one
 *     published before the replay
 * @param replays how many replays the door admitted for this payment (0 for entries written before replays existed)
 */
public record LedgerEntry(
        Phase phase,
        PaymentStatus status,
        boolean settledAfterUnknown,
        Fingerprint fingerprint,
        long acceptedAt,
        long updatedAt,
        int attempts,
        long dueAt,
        String lastErrorClass,
        byte[] result,
        int replays) {

    /** Where a payment is between the door and the exit. */
    public enum Phase {
        ACCEPTED, RETRYING, FINAL,
        /** A replayed FAILED/UNKNOWN payment under way again: status and result are the ones published before. */
        REPLAYING
    }

    static LedgerEntry accepted(Fingerprint fingerprint, long now) {
        return new LedgerEntry(Phase.ACCEPTED, null, false, fingerprint, now, now, 0, 0, null, null, 0);
    }

    static LedgerEntry rejected(byte[] result, long now) {
        return new LedgerEntry(Phase.FINAL, PaymentStatus.REJECTED, false, null, now, now, 0, 0, "invalid_request",
                result, 0);
    }

    /** A retry progress report; a replay stays REPLAYING and keeps the result published before it. */
    LedgerEntry retrying(int attempt, long due, String errorClass, long now) {
        if (phase == Phase.REPLAYING) {
            return new LedgerEntry(Phase.REPLAYING, status, settledAfterUnknown, fingerprint, acceptedAt, now, attempt,
                    due, errorClass, result, replays);
        }
        return new LedgerEntry(Phase.RETRYING, null, false, fingerprint, acceptedAt, now, attempt, due, errorClass,
                null, replays);
    }

    /** The door admitted a replay: under way again with a fresh attempt count (the replay starts a new history). */
    LedgerEntry replaying(long now) {
        return new LedgerEntry(Phase.REPLAYING, status, settledAfterUnknown, fingerprint, acceptedAt, now, 0, 0,
                lastErrorClass, result, replays + 1);
    }

    /** The first final result, the one settlement of an UNKNOWN, or the one result of a replay. */
    LedgerEntry finished(PaymentStatus finalStatus, int attemptsMade, String errorClass, byte[] json, long now) {
        boolean settlement = phase == Phase.FINAL && status == PaymentStatus.UNKNOWN;
        return new LedgerEntry(Phase.FINAL, finalStatus, settlement, fingerprint, acceptedAt, now,
                Math.max(attempts, attemptsMade), 0, errorClass, json, replays);
    }

    boolean isFinal() {
        return phase == Phase.FINAL;
    }

    /** An UNKNOWN not yet settled: it takes one APPROVED, DECLINED or FAILED result. */
    boolean awaitsSettlement() {
        return phase == Phase.FINAL && status == PaymentStatus.UNKNOWN;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LedgerEntry e && phase == e.phase && status == e.status
                && settledAfterUnknown == e.settledAfterUnknown && Objects.equals(fingerprint, e.fingerprint)
                && acceptedAt == e.acceptedAt && updatedAt == e.updatedAt && attempts == e.attempts && dueAt == e.dueAt
                && Objects.equals(lastErrorClass, e.lastErrorClass) && Arrays.equals(result, e.result)
                && replays == e.replays;
    }

    @Override
    public int hashCode() {
        return Objects.hash(phase, status, fingerprint, updatedAt, attempts) * 31 + Arrays.hashCode(result);
    }

    @Override
    public String toString() {
        return "LedgerEntry[phase=" + phase + ", status=" + status + ", settledAfterUnknown=" + settledAfterUnknown
                + ", attempts=" + attempts + ", dueAt=" + dueAt + ", lastErrorClass=" + lastErrorClass
                + ", updatedAt=" + updatedAt + ", replays=" + replays + "]";
    }
}
