package dev.paypipe.testing;

import dev.paypipe.model.PaymentRequest;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** Valid payment requests for tests. */
public final class TestPayments {
    private TestPayments() {
    }

    public static PaymentRequest request(String paymentId) {
        return new PaymentRequest(paymentId, "order-" + paymentId, new BigDecimal("12.50"), "EUR", "cust-1",
                "pm_tok_4242424242", Instant.parse("2026-01-31T11:59:00Z"), Map.of());
    }
}
