package dev.paypipe.examples;

import dev.paypipe.model.PaymentResult;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The order service's view of its payments: the latest result per payment id, and what the order should do next.
 * The latest result wins because paypipe may publish one more result for a payment after a final one: the
 * settlement of an {@code UNKNOWN} by reconciliation, or the result of an operator's replay of a {@code FAILED}
 * payment. Receiving the same result twice (a client restarted before it committed) changes nothing.
 */
public final class OrderPayments implements PaymentResultsClient.Handler {
    /** What the shop does with an order, by the status of its payment (docs/contract.md, "Statuses"). */
    public enum NextStep {
        /** APPROVED: charged; {@code gatewayReference} is the charge. */
        FULFIL,
        /** DECLINED: the issuer said no; ask the customer for another payment method (a new payment id). */
        ASK_FOR_ANOTHER_PAYMENT_METHOD,
        /** REJECTED: the request was invalid; fix it and publish under a new payment id. */
        FIX_REQUEST,
        /** FAILED: certainly not charged; publish the same request again later, same payment id. */
        RETRY_LATER_SAME_ID,
        /** UNKNOWN: may have been charged; never charge again under another id, wait for the settlement. */
        WAIT_FOR_SETTLEMENT
    }

    private final Map<String, PaymentResult> latest = new ConcurrentHashMap<>();

    @Override
    public void onResult(PaymentResult result) {
        latest.put(result.paymentId(), result);
    }

    public Optional<PaymentResult> latest(String paymentId) {
        return Optional.ofNullable(latest.get(paymentId));
    }

    /** Payments with at least one result so far. */
    public int payments() {
        return latest.size();
    }

    public static NextStep nextStep(PaymentResult result) {
        return switch (result.status()) {
            case APPROVED -> NextStep.FULFIL;
            case DECLINED -> NextStep.ASK_FOR_ANOTHER_PAYMENT_METHOD;
            case REJECTED -> NextStep.FIX_REQUEST;
            case FAILED -> NextStep.RETRY_LATER_SAME_ID;
            case UNKNOWN -> NextStep.WAIT_FOR_SETTLEMENT;
        };
    }
}
