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
 * only when no attempt could have charged, otherwise UNKNOWN (to be reconciled).
 */
public final class PaymentProcessor {
    private final RetryPolicy policy;
    private final Clock clock;
    private final RandomGenerator random;

    public PaymentProcessor(RetryPolicy policy, Clock clock, RandomGenerator random) {
        this.policy = policy;
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

    /** The decision after charge attempt number {@code history.attempts() + 1} came back as {@code outcome}. */
    public Decision afterCharge(PaymentRequest request, AttemptHistory history, GatewayOutcome outcome) {
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
        // 409: an earlier attempt with this key is still being processed and may yet charge.
        boolean mayHaveCharged = outcome instanceof GatewayOutcome.Ambiguous || outcome instanceof GatewayOutcome.InProgress;
        Duration retryAfter = null;
        String detail;
        if (outcome instanceof GatewayOutcome.Retryable r) {
            retryAfter = r.retryAfter();
            detail = r.detail();
        } else if (outcome instanceof GatewayOutcome.InProgress p) {
            retryAfter = p.retryAfter();
            detail = "an earlier attempt with the same idempotency key is still in progress";
        } else {
            detail = ((GatewayOutcome.Ambiguous) outcome).detail();
        }
        return retryOrGiveUp(request, history.failed(outcome.errorClass(), mayHaveCharged), retryAfter, detail, now);
    }

    /**
     * The decision after looking up an ambiguous payment by idempotency key. Returns null when the
     * gateway has no charge for it: the caller charges again.
     */
    public Decision afterLookup(PaymentRequest request, AttemptHistory history, ChargeLookup lookup) {
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
            return null;
        }
        ChargeLookup.Failed failed = (ChargeLookup.Failed) lookup;
        // A failed look-up uses up an attempt, so an unreachable gateway cannot keep a payment cycling forever.
        return retryOrGiveUp(request, history.failed("lookup_" + failed.errorClass(), true), null, failed.detail(), now);
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
     * Reconciles an UNKNOWN result with what the gateway says now: the settled result when it has a
     * charge for the payment, otherwise null (the payment stays UNKNOWN; a 404 is not proof that a
     * slow attempt will never land).
     */
    public PaymentResult reconcile(PaymentResult unknown, ChargeLookup lookup) {
        if (!(lookup instanceof ChargeLookup.Found found)) {
            return null;
        }
        Instant now = clock.instant();
        String reason = "reconciled by look-up of idempotency key " + unknown.paymentId();
        if (found.outcome() instanceof GatewayOutcome.Approved a) {
            return new PaymentResult(unknown.paymentId(), unknown.orderId(), PaymentStatus.APPROVED, unknown.amount(),
                    unknown.currency(), a.gatewayReference(), null, null, reason, unknown.attempts(),
                    unknown.requestedAt(), now);
        }
        GatewayOutcome.Declined d = (GatewayOutcome.Declined) found.outcome();
        return new PaymentResult(unknown.paymentId(), unknown.orderId(), PaymentStatus.DECLINED, unknown.amount(),
                unknown.currency(), d.gatewayReference(), d.declineCode(), null, reason, unknown.attempts(),
                unknown.requestedAt(), now);
    }
}
