package dev.paypipe.processing;

import dev.paypipe.gateway.ChargeLookup;
import dev.paypipe.gateway.GatewayOutcome;
import dev.paypipe.model.PaymentRequest;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.model.RequestCheck;
import dev.paypipe.retry.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * The payment decisions, free of Kafka and HTTP: what a gateway outcome or look-up means for a
 * payment, given its attempt history and the retry policy. The rule for exhausted payments: FAILED
 * only when no attempt could have charged, otherwise UNKNOWN (to be reconciled). A look-up that finds
 * no charge after the ambiguous call's deadline proves that no earlier attempt charged: the payment is
 * charged again with the same idempotency key and is no longer ambiguous.
 */
public final class PaymentProcessor {
    private final RetryPolicy policy;
    private final Duration callDeadline;
    private final Clock clock;
    private final RandomGenerator random;

    /**
     * @param callDeadline the total deadline of one gateway call ({@code gateway.response-timeout}): a call
     *     that may have charged cannot land later than its send plus this
     */
    public PaymentProcessor(RetryPolicy policy, Duration callDeadline, Clock clock, RandomGenerator random) {
        if (callDeadline.isNegative()) {
            throw new IllegalArgumentException("gateway.response-timeout must not be negative, was " + callDeadline);
        }
        this.policy = policy;
        this.callDeadline = callDeadline;
        this.clock = clock;
        this.random = random;
    }

    /**
     * An invalid request: a REJECTED result naming every problem, and a dead letter.
     *
     * @param fallbackId the result's payment id when the request carried none (e.g. its record key or origin)
     */
    public Decision rejectInvalid(RequestCheck check, String fallbackId) {
        Instant now = clock.instant();
        String reason = check.describeProblems();
        String paymentId = check.paymentId() == null || check.paymentId().isEmpty() ? fallbackId : check.paymentId();
        PaymentResult result = new PaymentResult(paymentId, check.orderId(), PaymentStatus.REJECTED, null, null, null,
                null, "invalid_request", reason, 0, null, now);
        return new Decision.Finish(result, new Decision.DeadLetterReason("invalid_request", reason, 0));
    }

    /**
     * The decision after charge attempt number {@code history.attempts() + 1}, sent at {@code sentAtMillis}
     * (epoch millis on this processor's clock), came back as {@code outcome}.
     */
    public Decision afterCharge(PaymentRequest request, AttemptHistory history, GatewayOutcome outcome,
            long sentAtMillis) {
        int attempts = history.attempts() + 1;
        Instant now = clock.instant();
        if (outcome instanceof GatewayOutcome.Approved a) {
            return new Decision.Finish(PaymentResult.approved(request, a.gatewayReference(), attempts, now), null);
        }
        if (outcome instanceof GatewayOutcome.Declined d) {
            return new Decision.Finish(
                    PaymentResult.declined(request, d.gatewayReference(), d.declineCode(), attempts, now), null);
        }
        if (outcome instanceof GatewayOutcome.Rejected r) {
            String reason = "gateway rejected the request with HTTP " + r.httpStatus() + ": " + r.detail();
            return new Decision.Finish(
                    PaymentResult.of(request, PaymentStatus.REJECTED, null, null, r.errorClass(), reason, attempts, now),
                    new Decision.DeadLetterReason(r.errorClass(), reason, attempts));
        }
        if (outcome instanceof GatewayOutcome.Retryable r) {
            return retryOrGiveUp(request, history.failed(r.errorClass()), r.retryAfter(), r.detail(), now);
        }
        // Ambiguous, or 409: an earlier attempt with this key is still being processed and may yet charge.
        // Either can land at the gateway until this call's deadline (every earlier call was sent before it),
        // and never before its answer arrived.
        Instant deadline = Instant.ofEpochMilli(sentAtMillis).plus(callDeadline);
        AttemptHistory next = history.failedAmbiguously(outcome.errorClass(), deadline.isBefore(now) ? now : deadline);
        if (outcome instanceof GatewayOutcome.InProgress p) {
            return retryOrGiveUp(request, next, p.retryAfter(),
                    "an earlier attempt with the same idempotency key is still in progress", now);
        }
        return retryOrGiveUp(request, next, null, ((GatewayOutcome.Ambiguous) outcome).detail(), now);
    }

    /**
     * The decision after looking up an ambiguous payment by idempotency key, the look-up sent at
     * {@code sentAtMillis} (epoch millis on this processor's clock). No charge found means charge again
     * ({@link Decision.ChargeAgain}); when the look-up was sent after the ambiguous call's deadline, that
     * 404 proves no earlier attempt charged and the payment is no longer ambiguous.
     */
    public Decision afterLookup(PaymentRequest request, AttemptHistory history, ChargeLookup lookup,
            long sentAtMillis) {
        Instant now = clock.instant();
        if (lookup instanceof ChargeLookup.Found found) {
            if (found.outcome() instanceof GatewayOutcome.Approved a) {
                return new Decision.Finish(
                        PaymentResult.approved(request, a.gatewayReference(), history.attempts(), now), null);
            }
            GatewayOutcome.Declined d = (GatewayOutcome.Declined) found.outcome();
            return new Decision.Finish(
                    PaymentResult.declined(request, d.gatewayReference(), d.declineCode(), history.attempts(), now),
                    null);
        }
        if (lookup instanceof ChargeLookup.NotFound) {
            // Charging again is safe either way (same idempotency key: the gateway returns the first outcome);
            // only a 404 after the deadline clears the "may have charged" that would make the end UNKNOWN.
            return new Decision.ChargeAgain(history.notFoundProvesNoCharge(Instant.ofEpochMilli(sentAtMillis))
                    ? history.provenUncharged() : history);
        }
        ChargeLookup.Failed failed = (ChargeLookup.Failed) lookup;
        // A failed look-up uses up an attempt, so an unreachable gateway cannot keep a payment cycling forever.
        return retryOrGiveUp(request, history.failed("lookup_" + failed.errorClass()), null, failed.detail(), now);
    }

    private Decision retryOrGiveUp(PaymentRequest request, AttemptHistory history, Duration retryAfter,
            String detail, Instant now) {
        if (policy.canRetry(history.attempts())) {
            Duration delay = policy.backoff(history.attempts(), retryAfter, random);
            return new Decision.Retry(history, policy.tierFor(delay), now.plus(delay), detail);
        }
        PaymentStatus status = history.ambiguous() ? PaymentStatus.UNKNOWN : PaymentStatus.FAILED;
        String reason = (history.ambiguous()
                ? "gave up after " + history.attempts() + " attempts; an attempt may have charged: reconcile. Last error: "
                : "gave up after " + history.attempts() + " attempts; never charged. Last error: ")
                + history.lastErrorClass() + " (" + detail + ")";
        PaymentResult result = PaymentResult.of(request, status, null, null, history.lastErrorClass(), reason,
                history.attempts(), now);
        return new Decision.Finish(result,
                new Decision.DeadLetterReason(history.lastErrorClass(), reason, history.attempts()));
    }

    /**
     * Reconciles an UNKNOWN result with what the gateway says now, the look-up sent at {@code lookupSentAt}.
     * A charge found settles it. No charge found proves that none of its attempts charged once the look-up
     * was sent after the last attempt's deadline, which is at most {@code gateway.response-timeout} after
     * the UNKNOWN was decided ({@code completedAt}): then the payment is re-driven with the same idempotency
     * key and a fresh attempt budget, its due time jittered like any first retry. Before that deadline, or
     * when the look-up failed, it stays UNKNOWN.
     */
    public Reconciliation reconcile(PaymentResult unknown, ChargeLookup lookup, Instant lookupSentAt) {
        Instant now = clock.instant();
        if (lookup instanceof ChargeLookup.Failed f) {
            return new Reconciliation.Unresolved("look-up failed: " + f.errorClass() + " (" + f.detail() + ")", true);
        }
        if (lookup instanceof ChargeLookup.NotFound) {
            Instant deadline = unknown.completedAt().plus(callDeadline);
            if (lookupSentAt.isBefore(deadline)) {
                return new Reconciliation.Unresolved("no charge found, but the last attempt's deadline passes only at "
                        + deadline + ": run reconcile again after it", false);
            }
            Duration delay = policy.backoff(AttemptHistory.FRESH.attempts(), null, random);
            return new Reconciliation.Redrive(AttemptHistory.FRESH, policy.tierFor(delay), now.plus(delay),
                    "look-up after the deadline found no charge for idempotency key " + unknown.paymentId()
                            + " after " + unknown.attempts() + " attempts: charging again with the same key");
        }
        ChargeLookup.Found found = (ChargeLookup.Found) lookup;
        String reason = "reconciled by look-up of idempotency key " + unknown.paymentId();
        if (found.outcome() instanceof GatewayOutcome.Approved a) {
            return new Reconciliation.Settled(new PaymentResult(unknown.paymentId(), unknown.orderId(),
                    PaymentStatus.APPROVED, unknown.amount(), unknown.currency(), a.gatewayReference(), null, null,
                    reason, unknown.attempts(), unknown.requestedAt(), now));
        }
        GatewayOutcome.Declined d = (GatewayOutcome.Declined) found.outcome();
        return new Reconciliation.Settled(new PaymentResult(unknown.paymentId(), unknown.orderId(),
                PaymentStatus.DECLINED, unknown.amount(), unknown.currency(), d.gatewayReference(), d.declineCode(),
                null, reason, unknown.attempts(), unknown.requestedAt(), now));
    }
}
