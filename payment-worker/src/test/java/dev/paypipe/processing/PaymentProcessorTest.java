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
    /** gateway.response-timeout: a call that may have charged can land until its send plus this. */
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private final MutableClock clock = MutableClock.atDefaultStart();
    private final RetryPolicy policy = new RetryPolicy(TIERS, Duration.ofMillis(500), Duration.ofMinutes(1), MAX_ATTEMPTS);
    /** Jitter always draws its ceiling, so delays are exact: 500ms * 2^attempts, capped at 1 min. */
    private final PaymentProcessor processor = new PaymentProcessor(policy, DEADLINE, clock, FixedRandom.max());
    private final PaymentRequest request = TestPayments.request("pay-1");
    /** Calls in these tests are sent at the clock's start (epoch millis) unless a test says otherwise. */
    private final long sentAtStart = clock.millis();

    // ------------------------------------------------------------------ final answers

    @Test
    void approvedFinishesWithTheGatewayReferenceAndNoDeadLetter() {
        clock.advance(Duration.ofSeconds(3));
        Decision d = processor.afterCharge(request, AttemptHistory.FRESH, new GatewayOutcome.Approved("ch_1"), sentAtStart);

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
        AttemptHistory two = AttemptHistory.FRESH.failed("http_503").failed("connect_failed");
        Decision.Finish finish = (Decision.Finish) processor.afterCharge(request, two, new GatewayOutcome.Approved("ch_9"), sentAtStart);

        assertThat(finish.result().attempts()).isEqualTo(3);
        assertThat(finish.result().status()).isEqualTo(PaymentStatus.APPROVED);
    }

    @Test
    void declinedFinishesWithTheDeclineCodeAndNoDeadLetter() {
        Decision.Finish finish = (Decision.Finish) processor.afterCharge(request, AttemptHistory.FRESH,
                new GatewayOutcome.Declined("ch_2", "insufficient_funds"), sentAtStart);

        assertThat(finish.deadLetter()).isNull();
        assertThat(finish.result().status()).isEqualTo(PaymentStatus.DECLINED);
        assertThat(finish.result().declineCode()).isEqualTo("insufficient_funds");
        assertThat(finish.result().gatewayReference()).isEqualTo("ch_2");
        assertThat(finish.result().attempts()).isEqualTo(1);
    }

    @Test
    void gatewayRejectionFinishesRejectedAndDeadLetters() {
        Decision.Finish finish = (Decision.Finish) processor.afterCharge(request, AttemptHistory.FRESH,
                new GatewayOutcome.Rejected(422, "currency not supported"), sentAtStart);

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
                new GatewayOutcome.Retryable("connect_failed", "refused", null), sentAtStart);

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
                new GatewayOutcome.Retryable("http_503", "unavailable", null), sentAtStart);

        // 3 attempts made: 500ms * 8 = 4s -> the 5s tier.
        assertThat(retry.dueAt()).isEqualTo(clock.instant().plusSeconds(4));
        assertThat(retry.tier()).isEqualTo(Duration.ofSeconds(5));
        assertThat(retry.history().attempts()).isEqualTo(3);
        assertThat(retry.history().firstErrorClass()).isEqualTo("http_503");
    }

    @Test
    void retryAfterRaisesTheDueTimeAndPicksTheTierForIt() {
        Decision.Retry retry = (Decision.Retry) processor.afterCharge(request, AttemptHistory.FRESH,
                new GatewayOutcome.Retryable("http_429", "slow down", Duration.ofSeconds(20)), sentAtStart);

        assertThat(retry.dueAt()).isEqualTo(clock.instant().plusSeconds(20));
        assertThat(retry.tier()).isEqualTo(Duration.ofSeconds(30));
        assertThat(retry.history().ambiguous()).isFalse();
    }

    @Test
    void zeroJitterStillGoesToTheSmallestTierDueNow() {
        PaymentProcessor noJitter = new PaymentProcessor(policy, DEADLINE, clock, FixedRandom.min());
        Decision.Retry retry = (Decision.Retry) noJitter.afterCharge(request, AttemptHistory.FRESH,
                new GatewayOutcome.Retryable("http_503", "x", null), sentAtStart);

        assertThat(retry.dueAt()).isEqualTo(clock.instant());
        assertThat(retry.tier()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void ambiguousOutcomeRetriesAndMarksThePaymentAmbiguous() {
        Decision.Retry retry = (Decision.Retry) processor.afterCharge(request, AttemptHistory.FRESH,
                new GatewayOutcome.Ambiguous("timeout", "read timed out"), sentAtStart);

        assertThat(retry.history()).as("may land until the call's deadline: its send plus the response timeout")
                .isEqualTo(new AttemptHistory(1, true, "timeout", "timeout", clock.instant().plus(DEADLINE)));
        assertThat(retry.lastMessage()).isEqualTo("read timed out");
    }

    @Test
    void ambiguityIsNeverForgottenByLaterSafeFailures() {
        AttemptHistory h = new AttemptHistory(1, true, "timeout", "timeout");
        Decision.Retry retry = (Decision.Retry) processor.afterCharge(request, h,
                new GatewayOutcome.Retryable("connect_failed", "refused", null), sentAtStart);

        assertThat(retry.history()).isEqualTo(new AttemptHistory(2, true, "timeout", "connect_failed"));
    }

    @Test
    void inProgressRetriesHonouringRetryAfter() {
        Decision.Retry retry = (Decision.Retry) processor.afterCharge(request, AttemptHistory.FRESH,
                new GatewayOutcome.InProgress(Duration.ofSeconds(3)), sentAtStart);

        assertThat(retry.dueAt()).isEqualTo(clock.instant().plusSeconds(3));
        assertThat(retry.tier()).isEqualTo(Duration.ofSeconds(5));
        assertThat(retry.history().lastErrorClass()).isEqualTo("http_409");
    }

    // ------------------------------------------------------------------ giving up

    @Test
    void afterMaxAttemptsWithNoAmbiguousAttemptTheResultIsFailedAndDeadLettered() {
        AttemptHistory h = new AttemptHistory(MAX_ATTEMPTS - 1, false, "http_503", "http_429");
        Decision d = processor.afterCharge(request, h, new GatewayOutcome.Retryable("connect_failed", "refused", null), sentAtStart);

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
                new GatewayOutcome.Retryable("http_503", "unavailable", null), sentAtStart);

        assertThat(finish.result().status()).isEqualTo(PaymentStatus.UNKNOWN);
        assertThat(finish.result().reason()).contains("may have charged").contains("reconcile");
        assertThat(finish.deadLetter().errorClass()).isEqualTo("http_503");
        assertThat(finish.deadLetter().attempts()).isEqualTo(MAX_ATTEMPTS);
    }

    @Test
    void anAmbiguousLastAttemptMakesTheResultUnknown() {
        AttemptHistory h = new AttemptHistory(MAX_ATTEMPTS - 1, false, "http_503", "http_503");
        Decision.Finish finish = (Decision.Finish) processor.afterCharge(request, h,
                new GatewayOutcome.Ambiguous("http_500", "internal error"), sentAtStart);

        assertThat(finish.result().status()).isEqualTo(PaymentStatus.UNKNOWN);
        assertThat(finish.deadLetter().errorClass()).isEqualTo("http_500");
    }

    @Test
    void aSingleAttemptPolicyGivesUpAtOnce() {
        PaymentProcessor once = new PaymentProcessor(new RetryPolicy(TIERS, Duration.ofMillis(500), Duration.ofMinutes(1), 1),
                DEADLINE, clock, FixedRandom.max());
        Decision.Finish finish = (Decision.Finish) once.afterCharge(request, AttemptHistory.FRESH,
                new GatewayOutcome.Retryable("http_429", "x", Duration.ofSeconds(1)), sentAtStart);

        assertThat(finish.result().status()).isEqualTo(PaymentStatus.FAILED);
        assertThat(finish.result().attempts()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ look-ups of ambiguous payments

    @Test
    void lookupFoundApprovedIsFinalWithoutANewAttempt() {
        AttemptHistory h = new AttemptHistory(2, true, "timeout", "timeout");
        Decision.Finish finish = (Decision.Finish) processor.afterLookup(request, h,
                new ChargeLookup.Found(new GatewayOutcome.Approved("ch_7")), clock.millis());

        assertThat(finish.result().status()).isEqualTo(PaymentStatus.APPROVED);
        assertThat(finish.result().gatewayReference()).isEqualTo("ch_7");
        assertThat(finish.result().attempts()).isEqualTo(2);
        assertThat(finish.deadLetter()).isNull();
    }

    @Test
    void lookupFoundDeclinedIsFinal() {
        AttemptHistory h = new AttemptHistory(1, true, "timeout", "timeout");
        Decision.Finish finish = (Decision.Finish) processor.afterLookup(request, h,
                new ChargeLookup.Found(new GatewayOutcome.Declined("ch_8", "card_expired")), clock.millis());

        assertThat(finish.result().status()).isEqualTo(PaymentStatus.DECLINED);
        assertThat(finish.result().declineCode()).isEqualTo("card_expired");
        assertThat(finish.result().attempts()).isEqualTo(1);
    }

    @Test
    void lookupNotFoundAfterTheDeadlineChargesAgainNoLongerAmbiguous() {
        Instant deadline = clock.instant().plus(DEADLINE);
        AttemptHistory h = new AttemptHistory(1, true, "timeout", "timeout", deadline);
        clock.advance(DEADLINE);

        Decision d = processor.afterLookup(request, h, new ChargeLookup.NotFound(), clock.millis());

        assertThat(d).isEqualTo(new Decision.ChargeAgain(new AttemptHistory(1, false, "timeout", "timeout", null)));
    }

    @Test
    void lookupNotFoundBeforeTheDeadlineChargesAgainButStaysAmbiguous() {
        Instant deadline = clock.instant().plus(DEADLINE);
        AttemptHistory h = new AttemptHistory(1, true, "http_500", "http_500", deadline);
        clock.advance(DEADLINE.minusMillis(1));

        Decision d = processor.afterLookup(request, h, new ChargeLookup.NotFound(), clock.millis());

        assertThat(d).as("a slow attempt may still land: same key, so charging is safe, but no proof")
                .isEqualTo(new Decision.ChargeAgain(h));
    }

    @Test
    void lookupNotFoundSentBeforeTheDeadlineProvesNothingEvenIfItAnswersAfterIt() {
        long lookupSent = clock.millis() + DEADLINE.toMillis() - 1;
        AttemptHistory h = new AttemptHistory(1, true, "timeout", "timeout", clock.instant().plus(DEADLINE));
        clock.advance(DEADLINE.plusSeconds(1));

        Decision.ChargeAgain again = (Decision.ChargeAgain) processor.afterLookup(request, h, new ChargeLookup.NotFound(),
                lookupSent);

        assertThat(again.history().ambiguous()).isTrue();
    }

    @Test
    void lookupNotFoundWithoutAKnownDeadlineStaysAmbiguous() {
        AttemptHistory h = new AttemptHistory(1, true, "timeout", "timeout");
        clock.advance(Duration.ofHours(1));

        Decision.ChargeAgain again = (Decision.ChargeAgain) processor.afterLookup(request, h, new ChargeLookup.NotFound(),
                clock.millis());

        assertThat(again.history()).isEqualTo(h);
    }

    @Test
    void theDeadlineOfAnEarlyAmbiguousAnswerRunsFromItsSend() {
        clock.advance(Duration.ofMillis(300)); // a 500 after charging answers 300 ms after the send
        Decision.Retry retry = (Decision.Retry) processor.afterCharge(request, AttemptHistory.FRESH,
                new GatewayOutcome.Ambiguous("http_500", "internal error"), sentAtStart);

        assertThat(retry.history().ambiguousUntil()).isEqualTo(Instant.ofEpochMilli(sentAtStart).plus(DEADLINE));
    }

    @Test
    void theDeadlineIsNeverBeforeTheAmbiguousAnswer() {
        clock.advance(DEADLINE.plusSeconds(2)); // answered later than the deadline allows (a slow client)
        Decision.Retry retry = (Decision.Retry) processor.afterCharge(request, AttemptHistory.FRESH,
                new GatewayOutcome.Ambiguous("timeout", "read timed out"), sentAtStart);

        assertThat(retry.history().ambiguousUntil()).isEqualTo(clock.instant());
    }

    @Test
    void aLaterAmbiguousAttemptMovesTheDeadlineOnAndASafeFailureKeepsIt() {
        Instant first = clock.instant().plus(DEADLINE);
        AttemptHistory h = new AttemptHistory(1, true, "timeout", "timeout", first);
        clock.advance(Duration.ofSeconds(10));
        long secondSent = clock.millis();
        Decision.Retry second = (Decision.Retry) processor.afterCharge(request, h,
                new GatewayOutcome.InProgress(null), secondSent);
        Decision.Retry third = (Decision.Retry) processor.afterCharge(request, second.history(),
                new GatewayOutcome.Retryable("http_503", "unavailable", null), clock.millis());

        assertThat(second.history().ambiguousUntil()).isEqualTo(Instant.ofEpochMilli(secondSent).plus(DEADLINE));
        assertThat(third.history().ambiguousUntil()).isEqualTo(second.history().ambiguousUntil());
        assertThat(third.history().ambiguous()).isTrue();
    }

    @Test
    void aPaymentWhoseEveryAttemptTimedOutBeforeChargingEndsFailedOnceLookUpsProvedNoCharge() {
        // Attempts 1..3 timed out, each proven uncharged by a later look-up; attempt 4 is refused safely.
        AttemptHistory h = AttemptHistory.FRESH;
        for (int attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
            long sent = clock.millis();
            clock.advance(DEADLINE);
            h = ((Decision.Retry) processor.afterCharge(request, h, new GatewayOutcome.Ambiguous("timeout", "timed out"),
                    sent)).history();
            clock.advance(Duration.ofSeconds(1));
            h = ((Decision.ChargeAgain) processor.afterLookup(request, h, new ChargeLookup.NotFound(), clock.millis()))
                    .history();
        }
        Decision.Finish finish = (Decision.Finish) processor.afterCharge(request, h,
                new GatewayOutcome.Retryable("http_503", "unavailable", null), clock.millis());

        assertThat(finish.result().status()).as("the 404s proved no attempt charged").isEqualTo(PaymentStatus.FAILED);
        assertThat(finish.result().attempts()).isEqualTo(MAX_ATTEMPTS);
        assertThat(finish.result().reason()).contains("never charged").contains("http_503");
        assertThat(finish.deadLetter().attempts()).isEqualTo(MAX_ATTEMPTS);
    }

    @Test
    void aProvenPaymentWhoseLastAttemptIsAmbiguousAgainEndsUnknown() {
        AttemptHistory proven = new AttemptHistory(MAX_ATTEMPTS - 1, false, "timeout", "timeout", null);
        Decision.Finish finish = (Decision.Finish) processor.afterCharge(request, proven,
                new GatewayOutcome.Ambiguous("timeout", "timed out"), clock.millis());

        assertThat(finish.result().status()).isEqualTo(PaymentStatus.UNKNOWN);
    }

    @Test
    void failedLookupUsesAnAttemptAndKeepsThePaymentAmbiguous() {
        AttemptHistory h = new AttemptHistory(1, true, "timeout", "timeout");
        Decision.Retry retry = (Decision.Retry) processor.afterLookup(request, h,
                new ChargeLookup.Failed("http_503", "look-up answered 503"), clock.millis());

        assertThat(retry.history()).isEqualTo(new AttemptHistory(2, true, "timeout", "lookup_http_503"));
        assertThat(retry.dueAt()).isEqualTo(clock.instant().plusSeconds(2));
        assertThat(retry.tier()).isEqualTo(Duration.ofSeconds(5));
        assertThat(retry.lastMessage()).isEqualTo("look-up answered 503");
    }

    @Test
    void failedLookupOnTheLastAttemptEndsUnknownNeverFailed() {
        AttemptHistory h = new AttemptHistory(MAX_ATTEMPTS - 1, true, "timeout", "timeout");
        Decision.Finish finish = (Decision.Finish) processor.afterLookup(request, h,
                new ChargeLookup.Failed("timeout", "look-up timed out"), clock.millis());

        assertThat(finish.result().status()).isEqualTo(PaymentStatus.UNKNOWN);
        assertThat(finish.deadLetter().errorClass()).isEqualTo("lookup_timeout");
        assertThat(finish.deadLetter().attempts()).isEqualTo(MAX_ATTEMPTS);
    }

    // ------------------------------------------------------------------ reconciling UNKNOWN payments

    private PaymentResult unknownDecidedNow() {
        return PaymentResult.of(request, PaymentStatus.UNKNOWN, null, null, "timeout", "gave up", MAX_ATTEMPTS,
                clock.instant());
    }

    @Test
    void reconcileSettlesAFoundChargeKeepingTheAttempts() {
        PaymentResult unknown = unknownDecidedNow();
        clock.advance(Duration.ofMinutes(1));

        Reconciliation.Settled settled = (Reconciliation.Settled) processor.reconcile(unknown,
                new ChargeLookup.Found(new GatewayOutcome.Declined("ch_3", "do_not_honor")), clock.instant());

        assertThat(settled.result().status()).isEqualTo(PaymentStatus.DECLINED);
        assertThat(settled.result().declineCode()).isEqualTo("do_not_honor");
        assertThat(settled.result().attempts()).isEqualTo(MAX_ATTEMPTS);
        assertThat(settled.result().completedAt()).isEqualTo(clock.instant());
    }

    @Test
    void reconcileRedrivesANotFoundChargeAfterTheDeadlineWithAFreshBudgetDueAsAFirstRetry() {
        PaymentResult unknown = unknownDecidedNow();
        clock.advance(DEADLINE);

        Reconciliation.Redrive redrive = (Reconciliation.Redrive) processor.reconcile(unknown,
                new ChargeLookup.NotFound(), clock.instant());

        assertThat(redrive.history()).isEqualTo(AttemptHistory.FRESH);
        // A first retry: ceiling 500 ms (base * 2^0), the fake random draws it; the 1 s tier covers it.
        assertThat(redrive.dueAt()).isEqualTo(clock.instant().plusMillis(500));
        assertThat(redrive.tier()).isEqualTo(Duration.ofSeconds(1));
        assertThat(redrive.reason()).contains("pay-1").contains("same key");
    }

    @Test
    void reconcileLeavesANotFoundChargeUnknownBeforeTheDeadline() {
        PaymentResult unknown = unknownDecidedNow();
        clock.advance(DEADLINE.minusMillis(1));

        Reconciliation.Unresolved unresolved = (Reconciliation.Unresolved) processor.reconcile(unknown,
                new ChargeLookup.NotFound(), clock.instant());

        assertThat(unresolved.lookupFailed()).isFalse();
        assertThat(unresolved.reason()).contains(unknown.completedAt().plus(DEADLINE).toString())
                .contains("run reconcile again");
    }

    @Test
    void reconcileLeavesAPaymentUnknownWhenTheLookUpFails() {
        PaymentResult unknown = unknownDecidedNow();
        clock.advance(Duration.ofMinutes(1));

        Reconciliation.Unresolved unresolved = (Reconciliation.Unresolved) processor.reconcile(unknown,
                new ChargeLookup.Failed("http_503", "look-up answered 503"), clock.instant());

        assertThat(unresolved.lookupFailed()).isTrue();
        assertThat(unresolved.reason()).contains("http_503");
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
