package dev.paypipe.persistence;

import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import java.math.BigDecimal;
import java.time.Instant;

/** Domain test data. */
final class Results {
    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private Results() {
    }

    static PaymentResult result(String paymentId, PaymentStatus status, Instant completedAt) {
        return new PaymentResult(paymentId, "order-" + paymentId, status, new BigDecimal("12.50"), "EUR",
                status == PaymentStatus.APPROVED || status == PaymentStatus.DECLINED ? "ch_" + paymentId + "_"
                        + completedAt.toEpochMilli() : null,
                status == PaymentStatus.DECLINED ? "insufficient_funds" : null,
                status == PaymentStatus.UNKNOWN ? "GatewayTimeout" : null,
                status == PaymentStatus.UNKNOWN ? "ambiguous timeouts exhausted" : null,
                status == PaymentStatus.REJECTED ? 0 : 1, T0.minusSeconds(5), completedAt);
    }

    static PaymentResult withAmount(PaymentResult r, BigDecimal amount) {
        return new PaymentResult(r.paymentId(), r.orderId(), r.status(), amount, r.currency(), r.gatewayReference(),
                r.declineCode(), r.errorClass(), r.reason(), r.attempts(), r.requestedAt(), r.completedAt());
    }
}
