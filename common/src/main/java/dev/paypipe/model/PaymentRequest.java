package dev.paypipe.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A request to charge a payment method, as published by order services on
 * {@code payment-requests} (key = {@code paymentId}). Instances are always valid: build them
 * through {@link PaymentRequestValidator} or the JSON codec, which report every problem.
 *
 * @param paymentId the idempotency key for every attempt and replay; 1-64 chars of
 *     {@code [A-Za-z0-9._:-]}
 * @param amount a positive amount with no more fraction digits than the currency allows
 * @param currency an ISO 4217 code
 * @param paymentMethod an opaque token; never logged in full (see {@link #toString()})
 * @param metadata free-form strings, bounded in size; never null
 */
public record PaymentRequest(
        String paymentId,
        String orderId,
        BigDecimal amount,
        String currency,
        String customerId,
        String paymentMethod,
        Instant createdAt,
        Map<String, String> metadata) {

    public PaymentRequest {
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(paymentMethod, "paymentMethod");
        Objects.requireNonNull(createdAt, "createdAt");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** Masks the payment method so a logged request never leaks the token. */
    @Override
    public String toString() {
        return "PaymentRequest[paymentId=" + paymentId + ", orderId=" + orderId + ", amount=" + amount
                + ", currency=" + currency + ", customerId=" + customerId + ", paymentMethod="
                + Masking.token(paymentMethod) + ", createdAt=" + createdAt + ", metadata=" + metadata.size()
                + " entries]";
    }
}
