package dev.paypipe.persistence;

import dev.paypipe.model.PaymentResult;
import java.util.Objects;

/**
 * A decoded result on its way to the {@code payment_results} table, with the Kafka position it came
 * from (stored as {@code source_partition}/{@code source_offset} for support questions).
 */
public record ResultRow(PaymentResult result, int sourcePartition, long sourceOffset) {
    public ResultRow {
        Objects.requireNonNull(result, "result");
    }

    public String paymentId() {
        return result.paymentId();
    }
}
