package dev.paypipe.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.gateway.ChargeLookup;
import dev.paypipe.gateway.GatewayOutcome;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.processing.AttemptHistory;
import dev.paypipe.processing.Decision;
import dev.paypipe.processing.PaymentProcessor;
import dev.paypipe.retry.RetryPolicy;
import dev.paypipe.testing.FakeGateway;
import dev.paypipe.testing.FixedRandom;
import dev.paypipe.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class DispatcherTest {
    private static final TopicPartition TP = new TopicPartition("payment-requests", 0);
    private static final Duration DEADLINE = Duration.ofSeconds(2);

    private final MutableClock clock = MutableClock.atDefaultStart();
    private final FakeGateway gateway = new FakeGateway();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RetryPolicy policy = new RetryPolicy(List.of(Duration.ofSeconds(1)), Duration.ofMillis(500),
            Duration.ofSeconds(1), 3);
    private final List<Work> decidedWork = new ArrayList<>();
    private final List<Decision> decisions = new ArrayList<>();
    private final Dispatcher dispatcher = new Dispatcher(gateway,
            new PaymentProcessor(policy, DEADLINE, clock, FixedRandom.max()), new WorkerMetrics(registry), clock,
            (work, decision) -> {
                decidedWork.add(work);
                decisions.add(decision);
            });
    private final PartitionState ps = new PartitionState(TP, 0);
    private long nextOffset;

    private Work admit(String paymentId) {
        Work work = TestWork.work(ps, TestWork.request(TP, nextOffset++, paymentId));
        dispatcher.admit(work);
        return work;
    }

    private Work admit(String paymentId, AttemptHistory history) {
        Work work = TestWork.work(ps, TestWork.request(TP, nextOffset++, paymentId));
        work.history = history;
        dispatcher.admit(work);
        return work;
    }

    private Decision.Finish finishFor(String paymentId) {
        for (int i = 0; i < decisions.size(); i++) {
            if (decidedWork.get(i).key().equals(paymentId)) {
                return (Decision.Finish) decisions.get(i);
            }
        }
        throw new AssertionError("no decision for " + paymentId);
    }

    @Test
    void keepsAtMostMaxCallsOpenAndStartsMoreAsAnswersArrive() {
        for (int i = 0; i < 5; i++) {
            admit("p" + i);
        }
        dispatcher.dispatch(2);

        assertThat(gateway.openCharges()).hasSize(2);
        assertThat(dispatcher.inFlight()).isEqualTo(2);
        assertThat(dispatcher.backlog()).isEqualTo(3);

        gateway.charges().get(0).complete(new GatewayOutcome.Approved("ch_0"));
        dispatcher.drainCompletions();
        dispatcher.dispatch(2);

        assertThat(decisions).hasSize(1);
        assertThat(gateway.openCharges()).hasSize(2);
        assertThat(gateway.charges()).hasSize(3);
        assertThat(ps.active).as("counted until the outputs are acknowledged").isEqualTo(3);
    }

    @Test
    void aSecondRecordForTheSameKeyStartsOnlyAfterTheFirstIsDecided() {
        admit("same");
        admit("same");
        dispatcher.dispatch(10);
        assertThat(gateway.charges()).hasSize(1);
        assertThat(dispatcher.backlog()).isEqualTo(1);

        gateway.charges().get(0).complete(new GatewayOutcome.Declined("ch_1", "do_not_honor"));
        dispatcher.drainCompletions();
        dispatcher.dispatch(10);

        assertThat(gateway.charges()).hasSize(2);
        assertThat(dispatcher.backlog()).isZero();
    }

    @Test
    void anAmbiguousAnswerCarriesTheDeadlineOfItsSendOnTheInjectedClock() {
        admit("slow");
        dispatcher.dispatch(1);
        Instant sent = clock.instant();
        clock.advance(Duration.ofMillis(400));
        gateway.charges().get(0).complete(new GatewayOutcome.Ambiguous("http_500", "internal error"));
        dispatcher.drainCompletions();

        Decision.Retry retry = (Decision.Retry) decisions.get(0);
        assertThat(retry.history().ambiguousUntil()).isEqualTo(sent.plus(DEADLINE));
        assertThat(registry.get("paypipe.gateway.latency").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(400);
        assertThat(dispatcher.inFlight()).isZero();
    }

    @Test
    void anAmbiguousPaymentIsLookedUpFirstAndChargedInTheSameSlotWhenTheGatewayHoldsNoCharge() {
        Instant until = clock.instant();
        admit("maybe", new AttemptHistory(2, true, "timeout", "timeout", until));
        dispatcher.dispatch(1);
        assertThat(gateway.lookups()).extracting(FakeGateway.LookupCall::paymentId).containsExactly("maybe");
        assertThat(gateway.charges()).isEmpty();

        gateway.lookups().get(0).complete(new ChargeLookup.NotFound());
        dispatcher.drainCompletions();
        assertThat(gateway.charges()).as("charged again at once").hasSize(1);
        assertThat(dispatcher.inFlight()).as("in the same slot").isEqualTo(1);
        assertThat(decisions).isEmpty();

        gateway.charges().get(0).complete(new GatewayOutcome.Retryable("http_503", "unavailable", null));
        dispatcher.drainCompletions();
        assertThat(finishFor("maybe").result().status()).as("the 404 after the deadline proved no charge")
                .isEqualTo(PaymentStatus.FAILED);
        assertThat(finishFor("maybe").result().attempts()).isEqualTo(3);
    }

    @Test
    void aLookUpThatFindsTheChargeIsFinalWithoutAnotherCharge() {
        admit("maybe", new AttemptHistory(1, true, "timeout", "timeout", clock.instant()));
        dispatcher.dispatch(1);
        gateway.lookups().get(0).complete(new ChargeLookup.Found(new GatewayOutcome.Approved("ch_found")));
        dispatcher.drainCompletions();

        assertThat(gateway.charges()).isEmpty();
        assertThat(finishFor("maybe").result().gatewayReference()).isEqualTo("ch_found");
    }

    @Test
    void aCallRefusedByTheBreakerGoesBackToTheFrontWithoutUsingAnAttempt() {
        gateway.answerCharges(r -> new GatewayOutcome.Retryable("breaker_open", "circuit breaker open", null));
        admit("p0");
        admit("p1");
        dispatcher.dispatch(1);
        dispatcher.drainCompletions();

        assertThat(decisions).isEmpty();
        assertThat(dispatcher.inFlight()).isZero();
        assertThat(ps.active).isZero();
        assertThat(registry.get("paypipe.gateway.charge.calls").counter().count()).isZero();

        gateway.answerCharges(r -> new GatewayOutcome.Approved("ch_ok"));
        dispatcher.dispatch(1);
        dispatcher.drainCompletions();
        assertThat(decidedWork).extracting(Work::key).as("the refused one first").containsExactly("p0");
        assertThat(finishFor("p0").result().attempts()).isEqualTo(1);
    }

    @Test
    void queuedWorkOfADrainingPartitionIsHandedBackAndItsKeyReleased() {
        admit("p0");
        Work second = admit("p0");
        ps.draining = true;
        dispatcher.dispatch(10);

        assertThat(gateway.charges()).isEmpty();
        assertThat(dispatcher.backlog()).isZero();
        assertThat(second.holdsKey).isFalse();
        assertThat(ps.active).isZero();
    }

    @Test
    void awaitCompletionHandlesOneAnswerOrReportsNone() throws InterruptedException {
        admit("p0");
        dispatcher.dispatch(1);
        assertThat(dispatcher.awaitCompletion(1)).isFalse();

        gateway.charges().get(0).complete(new GatewayOutcome.Approved("ch_0"));
        assertThat(dispatcher.awaitCompletion(1_000)).isTrue();
        assertThat(decisions).hasSize(1);
        assertThat(dispatcher.busy()).isFalse();
    }
}
