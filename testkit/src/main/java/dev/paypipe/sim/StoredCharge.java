package dev.paypipe.sim;

import java.time.Instant;

/**
 * A completed charge as the simulated gateway remembers it: what {@code GET /v1/charges} returns and
 * what every replay of the same idempotency key gets.
 *
 * @param id gateway reference, {@code ch_} followed by 16 hex digits (stable for a given seed and key)
 * @param declineCode set only when {@code status} is {@link Status#DECLINED}
 * @param amount the amount exactly as the client sent it
 */
public record StoredCharge(
        String id,
        String idempotencyKey,
        Status status,
        String declineCode,
        String amount,
        String currency,
        String customerId,
        Instant createdAt) {

    /** Outcome of a charge; the wire names are {@code succeeded} and {@code declined}. */
    public enum Status {
        SUCCEEDED("succeeded"),
        DECLINED("declined");

        private final String wireName;

        Status(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public boolean approved() {
        return status == Status.SUCCEEDED;
    }
}
