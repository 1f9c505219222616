package dev.paypipe.gateway;

import java.time.Duration;

/**
 * What one charge attempt came to. A decline is a value, not an exception; every HTTP answer and
 * transport failure is mapped to exactly one of these by {@link FailureClassifier}.
 */
public sealed interface GatewayOutcome {

    /** Short machine-readable class for headers, metrics and results, e.g. {@code http_503}. */
    String errorClass();

    /** The gateway charged the payment method. */
    record Approved(String gatewayReference) implements GatewayOutcome {
        @Override
        public String errorClass() {
            return null;
        }
    }

    /** The gateway refused the charge: final. */
    record Declined(String gatewayReference, String declineCode) implements GatewayOutcome {
        @Override
        public String errorClass() {
            return null;
        }
    }

    /** The gateway called the request invalid (4xx other than 409/429): final, never retried. */
    record Rejected(int httpStatus, String detail) implements GatewayOutcome {
        @Override
        public String errorClass() {
            return "http_" + httpStatus;
        }
    }

    /**
     * The attempt certainly did not charge (connection refused, breaker open, 429, 503): safe to
     * retry. {@code retryAfter} is the gateway's hint, or null.
     */
    record Retryable(String errorClass, String detail, Duration retryAfter) implements GatewayOutcome {
    }

    /**
     * The request may have been processed (response timeout or reset after sending, other 5xx): look
     * the charge up by idempotency key before retrying, and never call it FAILED.
     */
    record Ambiguous(String errorClass, String detail) implements GatewayOutcome {
    }

    /** 409: an earlier attempt with the same key is still being processed by the gateway. */
    record InProgress(Duration retryAfter) implements GatewayOutcome {
        @Override
        public String errorClass() {
            return "http_409";
        }
    }

    /** True for outcomes that end the payment. */
    default boolean isFinal() {
        return this instanceof Approved || this instanceof Declined || this instanceof Rejected;
    }
}
