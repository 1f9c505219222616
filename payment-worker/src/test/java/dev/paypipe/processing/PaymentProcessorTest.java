package dev.paypipe.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.gateway.ChargeLookup;
import dev.paypipe.gateway.GatewayOutcome;
import dev.paypipe.model.PaymentRequest;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.model.RequestCheck;
import dev.paypipe.retry.RetryPolicy;
import dev.paypipe.testing.FixedRandom;
import dev.paypipe.testing.MutableClock;
import dev.paypipe.testing.TestPayments;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaymentProcessorTest {
    private static final List<Duration> TIERS = RetryPolicy.DEFAULT_TIERS; // 1s, 5s, 30s, 2m, 10m
    private static final int MAX_ATTEMPTS = 4;

    private final MutableClock clock = MutableClock.atDefaultStart();
    private final RetryPolicy policy = new RetryPolicy(TIERS, Duration.ofMillis(500), Duration.ofMinutes(1), MAX_ATTEMPTS);
    /** Jitter always draws its ceiling, so delays are exact: 500ms * 2^attempts, capped at 1 min. */
    private final PaymentProcessor processor = new PaymentProcessor(policy, clock, FixedRandom.max());
    private final PaymentRequest request = TestPayments.request("pay-1");

    // ------------------------------------------------------------------ final answers

    @Test
    void approvedFinishesWithTheGatewayReferenceAndNoDeadLetter() {
        clock.advance(Duration.ofSeconds(3));
        Decision d = processor.afterCharge(request, AttemptHistory.FRESH, new GatewayOutcome.Approved("ch_1"));

        Decision.Finish finish = (Decision.Finish) d;
        assertThat(finish.deadLetter()).isNull();
        PaymentResult r = finish.result();
        assertThat(r.status()).isEqualTo(PaymentStatus.APPROVED);
        assertThat(r.paymentId()).isEqualTo("pay-1");
        assertThat(r.orderId()).isEqualTo("order-pay-1");
        assertThat(r.gatewayReference()).isEqualTo("ch_1");
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.completedAt()).isEqualTo(clock.instant());
        assertThat(r.amount()).isEqualByComparingTo("12.50");
    }

    @Test
    void approvedOnALaterAttemptCountsEveryAttempt() {
        AttemptHistory two = AttemptHistory.FRESH.failed("http_503", false).failed("connect_failed", false);
        Decision.Finish finish = (Decision.Finish) processor.afterCharge(request, two, new GatewayOutcome.Approved("ch_9"));

        assertThat(finish.result().attempts()).isEqualTo(3);
        assertThat(finish.result().status()).isEqualTo(PaymentStatus.APPROVED);
    }

    @Test
    void declinedFinishesWithTheDeclineCodeAndNoDeadLetter() {
        Decision.Finish finish = (Decision.Finish) processor.afterCharge(request, AttemptHistory.FRESH,
                new GatewayOutcome.Declined("ch_2", "insufficient_funds"));

        assertThat(finish.deadLetter()).isNull();
        assertThat(finish.result().status()).isEqualTo(PaymentStatus.DECLINED);
        assertThat(finish.result().declineCode()).isEqualTo("insufficient_funds");
        assertThat(finish.result().gatewayReference()).isEqualTo("ch_2");
        assertThat(finish.result().attempts()).isEqualTo(1);
    }

    @Test
    void gatewayRejectionFinishesRejectedAndDeadLetters() {
        Decision.Finish finish = (Decision.Finish) processor.afterCharge(request, AttemptHistory.FRESH,
                new GatewayOutcome.Rejected(422, "currency not supported"));

        assertThat(finish.result().status()).isEqualTo(PaymentStatus.REJECTED);
        assertThat(finish.result().errorClass()).isEqualTo("http_422");
        assertThat(finish.result().reason()).contains("422").contains("currency not supported");
        assertThat(finish.deadLetter()).isNotNull();
        assertThat(finish.deadLetter().errorClass()).isEqualTo("http_422");
        assertThat(finish.deadLetter().attempts()).isEqualTo(1);
        assertThat(finish.deadLetter().message()).contains("currency not supported");
    }

    // ------------------------------------------------------------------ retries

    @Test
    void retryableGoesToTheTierCoveringTheJitteredDelayWithDueTimeFromTheClock() {
        Instant now = clock.instant();
        Decision d = processor.afterCharge(request, AttemptHistory.FRESH,
                new GatewayOutcome.Retryable("connect_failed", "refused", null));

        Decision.Retry retry = (Decision.Retry) d;
        // After 1 attempt the ceiling is 500ms * 2 = 1s; the fake random draws the ceiling.
        assertThat(retry.dueAt()).isEqualTo(now.plusSeconds(1));
        assertThat(retry.tier()).isEqualTo(Duration.ofSeconds(1));
        assertThat(retry.history()).isEqualTo(new AttemptHistory(1, false, "connect_failed", "connect_failed"));
        assertThat(retry.lastMessage()).isEqualTo("refused");
    }

    @Test
    void laterAttemptsWaitLongerAndMoveUpATier() {
        AttemptHistory two = new AttemptHistory(2, false, "http_503", "http_503");
        Decision.Retry retry = (Decision.Retry) processor.afterCharge(request, two,
                new GatewayOutcome.Retryable("http_503", "unavailable", null));

        // 3 attempts made: 500ms * 8 = 4s -> the 5s tier.
        assertThat(retry.dueAt()).isEqualTo(clock.instant().plusSeconds(4));
        assertThat(retry.tier()).isEqualTo(Duration.ofSeconds(5));
        assertThat(retry.history().attempts()).isEqualTo(3);
        assertThat(retry.history().firstErrorClass()).isEqualTo("http_503");
    }

    @Test
    void retryAfterRaisesTheDueTimeAndPicksTheTierForIt() {
        Decision.Retry retry = (Decision.Retry) processor.afterCharge(request, AttemptHistory.FRESH,
                new GatewayOutcome.Retryable("http_429", "slow down", Duration.ofSeconds(20)));

        assertThat(retry.dueAt()).isEqualTo(clock.instant().plusSeconds(20));
        assertThat(retry.tier()).isEqualTo(Duration.ofSeconds(30));
        assertThat(retry.history().ambiguous()).isFalse();
    }

    @Test
    void zeroJitterStillGoesToTheSmallestTierDueNow() {
        PaymentProcessor noJitter = new PaymentProcessor(policy, clock, FixedRandom.min());
        Decision.Retry retry = (Decision.Retry) noJitter.afterCharge(request, AttemptHistory.FRESH,
                new GatewayOutcome.Retryable("http_503", "x", null));

        assertThat(retry.dueAt()).isEqualTo(clock.instant());
        assertThat(retry.tier()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void ambiguousOutcomeRetriesAndMarksThePaymentAmbiguous() {
        Decision.Retry retry = (Decision.Retry) processor.afterCharge(request, AttemptHistory.FRESH,
                new GatewayOutcome.Ambiguous("timeout", "read timed out"));

        assertThat(retry.history()).isEqualTo(new AttemptHistory(1, true, "timeout", "timeout"));
        assertThat(retry.lastMessage()).isEqualTo("read timed out");
    }

    @Test
    void ambiguityIsNeverForgottenByLaterSafeFailures() {
        AttemptHistory h = new AttemptHistory(1, true, "timeout", "timeout");
        Decision.Retry retry = (Decision.Retry) processor.afterCharge(request, h,
                new GatewayOutcome.Retryable("connect_failed", "refused", null));

        assertThat(retry.history()).isEqualTo(new AttemptHistory(2, true, "timeout", "connect_failed"));
    }

    @Test
    void inProgressRetriesHonouringRetryAfter() {
        Decision.Retry retry = (Decision.Retry) processor.afterCharge(request, AttemptHistory.FRESH,
                new GatewayOutcome.InProgress(Duration.ofSeconds(3)));

        assertThat(retry.dueAt()).isEqualTo(clock.instant().plusSeconds(3));
        assertThat(retry.tier()).isEqualTo(Duration.ofSeconds(5));
        assertThat(retry.history().lastErrorClass()).isEqualTo("http_409");
    }

    // ------------------------------------------------------------------ giving up

    @Test
    void afterMaxAttemptsWithNoAmbiguousAttemptTheResultIsFailedAndDeadLettered() {
        AttemptHistory h = new AttemptHistory(MAX_ATTEMPTS - 1, false, "http_503", "http_429");
        Decision d = processor.afterCharge(request, h, new GatewayOutcome.Retryable("connect_failed", "refused", null));

        Decision.Finish finish = (Decision.Finish) d;
        assertThat(finish.result().status()).isEqualTo(PaymentStatus.FAILED);
        assertThat(finish.result().attempts()).isEqualTo(MAX_ATTEMPTS);
        assertThat(finish.result().errorClass()).isEqualTo("connect_failed");
        assertThat(finish.result().reason()).contains("gave up after 4 attempts").contains("never charged")
                .contains("connect_failed").contains("refused");
        assertThat(finish.deadLetter()).isNotNull();
        assertThat(finish.deadLetter().attempts()).isEqualTo(MAX_ATTEMPTS);
        assertThat(finish.deadLetter().errorClass()).isEqualTo("connect_failed");
        assertThat(finish.deadLetter().message()).contains("4 attempts").contains("connect_failed");
    }

    @Test
    void afterMaxAttemptsWithAnyAmbiguousAttemptTheResultIsUnknown() {
        AttemptHistory h = new AttemptHistory(MAX_ATTEMPTS - 1, true, "timeout", "http_503");
        Decision.Finish finish = (Decision.Finish) processor.afterCharge(request, h,
                new GatewayOutcome.Retryable("http_503", "unavailable", null));

        assertThat(finish.result().status()).isEqualTo(PaymentStatus.UNKNOWN);
        assertThat(finish.result().reason()).contains("may have charged").contains("reconcile");
        assertThat(finish.deadLetter().errorClass()).isEqualTo("http_503");
        assertThat(finish.deadLetter().attempts()).isEqualTo(MAX_ATTEMPTS);
    }

    @Test
    void anAmbiguousLastAttemptMakesTheResultUnknown() {
        AttemptHistory h = new AttemptHistory(MAX_ATTEMPTS - 1, false, "http_503", "http_503");
        Decision.Finish finish = (Decision.Finish) processor.afterCharge(request, h,
                new GatewayOutcome.Ambiguous("http_500", "internal error"));

        assertThat(finish.result().status()).isEqualTo(PaymentStatus.UNKNOWN);
        assertThat(finish.deadLetter().errorClass()).isEqualTo("http_500");
    }

    @Test
    void aSingleAttemptPolicyGivesUpAtOnce() {
        PaymentProcessor once = new PaymentProcessor(new RetryPolicy(TIERS, Duration.ofMillis(500), Duration.ofMinutes(1), 1),
                clock, FixedRandom.max());
        Decision.Finish finish = (Decision.Finish) once.afterCharge(request, AttemptHistory.FRESH,
                new GatewayOutcome.Retryable("http_429", "x", Duration.ofSeconds(1)));

        assertThat(finish.result().status()).isEqualTo(PaymentStatus.FAILED);
        assertThat(finish.result().attempts()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ look-ups of ambiguous payments

    @Test
    void lookupFoundApprovedIsFinalWithoutANewAttempt() {
        AttemptHistory h = new AttemptHistory(2, true, "timeout", "timeout");
        Decision.Finish finish = (Decision.Finish) processor.afterLookup(request, h,
                new ChargeLookup.Found(new GatewayOutcome.Approved("ch_7")));

        assertThat(finish.result().status()).isEqualTo(PaymentStatus.APPROVED);
        assertThat(finish.result().gatewayReference()).isEqualTo("ch_7");
        assertThat(finish.result().attempts()).isEqualTo(2);
        assertThat(finish.deadLetter()).isNull();
    }

    @Test
    void lookupFoundDeclinedIsFinal() {
        AttemptHistory h = new AttemptHistory(1, true, "timeout", "timeout");
        Decision.Finish finish = (Decision.Finish) processor.afterLookup(request, h,
                new ChargeLookup.Found(new GatewayOutcome.Declined("ch_8", "card_expired")));

        assertThat(finish.result().status()).isEqualTo(PaymentStatus.DECLINED);
        assertThat(finish.result().declineCode()).isEqualTo("card_expired");
        assertThat(finish.result().attempts()).isEqualTo(1);
    }

    @Test
    void lookupNotFoundMeansChargeAgain() {
        assertThat(processor.afterLookup(request, new AttemptHistory(1, true, "timeout", "timeout"),
                new ChargeLookup.NotFound())).isNull();
    }

    @Test
    void failedLookupUsesAnAttemptAndKeepsThePaymentAmbiguous() {
        AttemptHistory h = new AttemptHistory(1, true, "timeout", "timeout");
        Decision.Retry retry = (Decision.Retry) processor.afterLookup(request, h,
                new ChargeLookup.Failed("http_503", "look-up answered 503"));

        assertThat(retry.history()).isEqualTo(new AttemptHistory(2, true, "timeout", "lookup_http_503"));
        assertThat(retry.dueAt()).isEqualTo(clock.instant().plusSeconds(2));
        assertThat(retry.tier()).isEqualTo(Duration.ofSeconds(5));
        assertThat(retry.lastMessage()).isEqualTo("look-up answered 503");
    }

    @Test
    void failedLookupOnTheLastAttemptEndsUnknownNeverFailed() {
        AttemptHistory h = new AttemptHistory(MAX_ATTEMPTS - 1, true, "timeout", "timeout");
        Decision.Finish finish = (Decision.Finish) processor.afterLookup(request, h,
                new ChargeLookup.Failed("timeout", "look-up timed out"));

        assertThat(finish.result().status()).isEqualTo(PaymentStatus.UNKNOWN);
        assertThat(finish.deadLetter().errorClass()).isEqualTo("lookup_timeout");
        assertThat(finish.deadLetter().attempts()).isEqualTo(MAX_ATTEMPTS);
    }

    // ------------------------------------------------------------------ invalid requests

    @Test
    void invalidRequestIsRejectedNamingEveryProblemAndDeadLettered() {
        RequestCheck check = RequestCheck.invalid("pay-x", "order-x",
                List.of("amount: must be greater than zero, was -1", "currency: required"));

        Decision.Finish finish = (Decision.Finish) processor.rejectInvalid(check, "key-x");

        PaymentResult r = finish.result();
        assertThat(r.status()).isEqualTo(PaymentStatus.REJECTED);
        assertThat(r.paymentId()).isEqualTo("pay-x");
        assertThat(r.orderId()).isEqualTo("order-x");
        assertThat(r.errorClass()).isEqualTo("invalid_request");
        assertThat(r.reason()).contains("amount: must be greater than zero").contains("currency: required");
        assertThat(r.attempts()).isZero();
        assertThat(r.completedAt()).isEqualTo(clock.instant());
        assertThat(finish.deadLetter()).isEqualTo(new Decision.DeadLetterReason("invalid_request",
                "amount: must be greater than zero, was -1; currency: required", 0));
    }

    @Test
    void invalidRequestWithoutAPaymentIdUsesTheFallback() {
        assertThat(((Decision.Finish) processor.rejectInvalid(
                RequestCheck.invalid(null, null, List.of("paymentId: required")), "key-7")).result().paymentId())
                .isEqualTo("key-7");
        assertThat(((Decision.Finish) processor.rejectInvalid(
                RequestCheck.invalid("", null, List.of("paymentId: required")), "invalid:t-0@5")).result().paymentId())
                .isEqualTo("invalid:t-0@5");
    }
}
