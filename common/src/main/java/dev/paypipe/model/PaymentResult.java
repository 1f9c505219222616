package dev.paypipe.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The one final result of a payment, published on {@code payment-results} (key = {@code paymentId}).
 *
 * <p>{@code amount} and {@code currency} may be null only for a {@link PaymentStatus#REJECTED}
 * result whose request did not carry them validly. {@code reason} is a human-readable detail: the
 * list of problems for {@code REJECTED}, the last error for {@code FAILED}/{@code UNKNOWN}.
 *
 * @param attempts gateway charge attempts made (0 when the gateway was never called)
 */
public record PaymentResult(
        String paymentId,
        String orderId,
        PaymentStatus status,
        BigDecimal amount,
        String currency,
        String gatewayReference,
        String declineCode,
        String errorClass,
        String reason,
        int attempts,
        Instant requestedAt,
        Instant completedAt) {

    public PaymentResult {
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(completedAt, "completedAt");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must be >= 0, was " + attempts);
        }
    }

    /**
     * Whether this result replaces {@code current} for the same payment: the higher
     * {@link PaymentStatus#precedence()} wins (a settled status replaces UNKNOWN, never the other way
     * round); at equal precedence the later {@code completedAt} wins, compared to the microsecond as
     * PostgreSQL stores it; otherwise {@code current} stays, so an identical re-delivery changes nothing.
     * The db-writer's upsert applies the same rule in SQL.
     */
    public boolean supersedes(PaymentResult current) {
        int byStatus = Integer.compare(status.precedence(), current.status.precedence());
        if (byStatus != 0) {
            return byStatus > 0;
        }
        return completedAt.truncatedTo(ChronoUnit.MICROS).isAfter(current.completedAt.truncatedTo(ChronoUnit.MICROS));
    }

    public static PaymentResult approved(PaymentRequest request, String gatewayReference, int attempts,
            Instant completedAt) {
        return of(request, PaymentStatus.APPROVED, gatewayReference, null, null, null, attempts, completedAt);
    }

    public static PaymentResult declined(PaymentRequest request, String gatewayReference, String declineCode,
            int attempts, Instant completedAt) {
        return of(request, PaymentStatus.DECLINED, gatewayReference, declineCode, null, null, attempts,
                completedAt);
    }

    public static PaymentResult of(PaymentRequest request, PaymentStatus status, String gatewayReference,
            String declineCode, String errorClass, String reason, int attempts, Instant completedAt) {
        return new PaymentResult(request.paymentId(), request.orderId(), status, request.amount(),
                request.currency(), gatewayReference, declineCode, errorClass, reason, attempts,
                request.createdAt(), completedAt);
    }
}
