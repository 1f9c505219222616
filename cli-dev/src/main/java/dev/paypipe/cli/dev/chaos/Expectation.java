package dev.paypipe.cli.dev.chaos;

import dev.paypipe.model.PaymentStatus;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Set;

/**
 * What a campaign expects of one payment it published.
 *
 * @param paymentId the id its result and row carry
 * @param amount the first published amount, or null when the gateway must never see it (a bad record)
 * @param statuses the final statuses the campaign accepts
 * @param reason a part of the REJECTED reason the door must give, or null when none is expected
 * @param stored whether the db-writer must have a row for it (false for results the table cannot key, e.g. an
 *     {@code invalid:...} id longer than the column)
 */
public record Expectation(String paymentId, BigDecimal amount, Set<PaymentStatus> statuses, String reason,
        boolean stored) {
    public Expectation {
        Objects.requireNonNull(paymentId, "paymentId");
        statuses = Set.copyOf(statuses);
    }

    public static Expectation completes(String paymentId, BigDecimal amount, Set<PaymentStatus> statuses) {
        return new Expectation(paymentId, amount, statuses, null, true);
    }

    public static Expectation rejected(String paymentId, String reason, boolean stored) {
        return new Expectation(paymentId, null, Set.of(PaymentStatus.REJECTED), reason, stored);
    }

    public boolean mustNotCharge() {
        return amount == null;
    }
}
