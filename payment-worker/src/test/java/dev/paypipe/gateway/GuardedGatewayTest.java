package dev.paypipe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.model.PaymentRequest;
import dev.paypipe.testing.FakeGateway;
import dev.paypipe.testing.MutableClock;
import dev.paypipe.testing.TestPayments;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class GuardedGatewayTest {
    private static final int WINDOW = 4;
    private static final Duration OPEN_WAIT = Duration.ofSeconds(30);

    private final MutableClock clock = MutableClock.atDefaultStart();
    private final FakeGateway fake = new FakeGateway();
    private final PaymentRequest request = TestPayments.request("pay-1");

    /** A count-based window of 4 calls, 50 % failures opens it, 2 probes when half-open, no real-time transitions. */
    private CircuitBreaker breaker(Duration slowCallThreshold) {
        return CircuitBreaker.of("gateway-test", CircuitBreakerConfig.custom()
                .failureRateThreshold(50)
                .slowCallRateThreshold(50)
                .slowCallDurationThreshold(slowCallThreshold)
                .slidingWindow(WINDOW, WINDOW, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .waitDurationInOpenState(OPEN_WAIT)
                .permittedNumberOfCallsInHalfOpenState(2)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .clock(clock)
                .build());
    }

    private GuardedGateway guarded() {
        return new GuardedGateway(fake, breaker(Duration.ofMinutes(1)), GuardedGateway.bulkhead("test", 100));
    }

    private static <T> T now(CompletableFuture<T> future) {
        assertThat(future).as("answered without waiting").isDone();
        return future.join();
    }

    @Test
    void successesKeepTheBreakerClosedAndPassOutcomesThrough() {
        GuardedGateway gateway = guarded();
        fake.answerCharges(r -> new GatewayOutcome.Approved("ch_" + r.paymentId()));

        for (int i = 0; i < 10; i++) {
            assertThat(now(gateway.charge(request))).isEqualTo(new GatewayOutcome.Approved("ch_pay-1"));
        }
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(fake.charges()).hasSize(10);
    }

    @Test
    void declinesAndRejectionsAreNotGatewayFailures() {
        GuardedGateway gateway = guarded();
        fake.answerCharges(r -> new GatewayOutcome.Declined("ch_1", "insufficient_funds"));
        for (int i = 0; i < WINDOW; i++) {
            now(gateway.charge(request));
        }
        fake.answerCharges(r -> new GatewayOutcome.Rejected(422, "bad"));
        for (int i = 0; i < WINDOW; i++) {
            now(gateway.charge(request));
        }

        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(gateway.breaker().getMetrics().getNumberOfFailedCalls()).isZero();
    }

    @Test
    void failuresOpenTheBreakerAndThenNoCallIsMade() {
        GuardedGateway gateway = guarded();
        fake.answerCharges(r -> new GatewayOutcome.Retryable("http_503", "unavailable", null));
        now(gateway.charge(request));
        now(gateway.charge(request));
        fake.answerCharges(r -> new GatewayOutcome.Ambiguous("timeout", "read timed out"));
        now(gateway.charge(request));
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        now(gateway.charge(request));

        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(fake.charges()).hasSize(WINDOW);

        GatewayOutcome refused = now(gateway.charge(request));
        assertThat(refused).isInstanceOf(GatewayOutcome.Retryable.class);
        assertThat(refused.errorClass()).isEqualTo("breaker_open");
        assertThat(((GatewayOutcome.Retryable) refused).retryAfter()).isNull();
        assertThat(fake.charges()).as("no call made while open").hasSize(WINDOW);

        ChargeLookup lookup = now(gateway.lookup("pay-1"));
        assertThat(lookup).isInstanceOf(ChargeLookup.Failed.class);
        assertThat(((ChargeLookup.Failed) lookup).errorClass()).isEqualTo("breaker_open");
        assertThat(fake.lookups()).as("no look-up made while open").isEmpty();
    }

    @Test
    void afterTheOpenWaitOnlyTheProbesGoThroughAndSuccessfulProbesCloseIt() {
        GuardedGateway gateway = guarded();
        fake.answerCharges(r -> new GatewayOutcome.Retryable("connect_failed", "refused", null));
        for (int i = 0; i < WINDOW; i++) {
            now(gateway.charge(request));
        }
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);

        clock.advance(OPEN_WAIT.minusSeconds(1));
        assertThat(now(gateway.charge(request)).errorClass()).isEqualTo("breaker_open");
        assertThat(fake.charges()).hasSize(WINDOW);

        clock.advance(Duration.ofSeconds(2));
        fake.answerCharges(null); // probes stay open until the test answers them
        CompletableFuture<GatewayOutcome> probe1 = gateway.charge(request);
        CompletableFuture<GatewayOutcome> probe2 = gateway.charge(request);
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(now(gateway.charge(request)).errorClass()).as("a third call is not a probe").isEqualTo("breaker_open");
        assertThat(fake.charges()).hasSize(WINDOW + 2);

        fake.openCharges().forEach(c -> c.complete(new GatewayOutcome.Approved("ch_ok")));
        assertThat(now(probe1)).isEqualTo(new GatewayOutcome.Approved("ch_ok"));
        assertThat(now(probe2)).isEqualTo(new GatewayOutcome.Approved("ch_ok"));
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void inProgressDoesNotCountForOrAgainstTheBreaker() {
        GuardedGateway gateway = guarded();
        fake.answerCharges(r -> new GatewayOutcome.InProgress(Duration.ofSeconds(1)));
        for (int i = 0; i < 3 * WINDOW; i++) {
            assertThat(now(gateway.charge(request))).isEqualTo(new GatewayOutcome.InProgress(Duration.ofSeconds(1)));
        }

        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(gateway.breaker().getMetrics().getNumberOfBufferedCalls()).isZero();

        // Only the real failures count: three 409s between them do not dilute or add to the window.
        fake.answerCharges(r -> new GatewayOutcome.Ambiguous("http_500", "boom"));
        for (int i = 0; i < WINDOW; i++) {
            now(gateway.charge(request));
        }
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void inProgressDuringHalfOpenGivesTheProbePermitBack() {
        GuardedGateway gateway = guarded();
        fake.answerCharges(r -> new GatewayOutcome.Ambiguous("http_502", "bad gateway"));
        for (int i = 0; i < WINDOW; i++) {
            now(gateway.charge(request));
        }
        clock.advance(OPEN_WAIT.plusSeconds(1));

        fake.answerCharges(r -> new GatewayOutcome.InProgress(null));
        for (int i = 0; i < 5; i++) {
            assertThat(now(gateway.charge(request))).isInstanceOf(GatewayOutcome.InProgress.class);
        }
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(fake.charges()).as("every 409 released its probe permit").hasSize(WINDOW + 5);
    }

    @Test
    void failedLookupsCountAndAnsweredLookupsDoNot() {
        GuardedGateway gateway = guarded();
        fake.answerLookups(id -> new ChargeLookup.NotFound());
        for (int i = 0; i < WINDOW; i++) {
            assertThat(now(gateway.lookup("pay-1"))).isEqualTo(new ChargeLookup.NotFound());
        }
        fake.answerLookups(id -> new ChargeLookup.Found(new GatewayOutcome.Approved("ch_1")));
        now(gateway.lookup("pay-1"));
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);

        fake.answerLookups(id -> new ChargeLookup.Failed("http_503", "look-up answered 503"));
        for (int i = 0; i < WINDOW; i++) {
            now(gateway.lookup("pay-1"));
        }
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(now(gateway.charge(request)).errorClass()).isEqualTo("breaker_open");
        assertThat(fake.charges()).isEmpty();
    }

    /** Call time comes from the breaker's clock: the test moves it while the calls are open, nothing sleeps. */
    @Test
    void slowSuccessfulCallsOpenTheBreaker() {
        GuardedGateway gateway = new GuardedGateway(fake, breaker(Duration.ofMillis(1)), GuardedGateway.bulkhead("test", 100));
        for (int i = 0; i < WINDOW; i++) {
            CompletableFuture<GatewayOutcome> answer = gateway.charge(request);
            clock.advance(Duration.ofMillis(2));
            fake.openCharges().forEach(c -> c.complete(new GatewayOutcome.Approved("ch_slow")));
            assertThat(now(answer)).isEqualTo(new GatewayOutcome.Approved("ch_slow"));
        }

        assertThat(gateway.breaker().getMetrics().getNumberOfSlowSuccessfulCalls()).isEqualTo(WINDOW);
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(now(gateway.charge(request)).errorClass()).isEqualTo("breaker_open");
    }

    @Test
    void fastCallsAreNotSlow() {
        GuardedGateway gateway = guarded(); // 1-minute threshold
        fake.answerCharges(r -> new GatewayOutcome.Approved("ch_fast"));
        for (int i = 0; i < 2 * WINDOW; i++) {
            now(gateway.charge(request));
        }

        assertThat(gateway.breaker().getMetrics().getNumberOfSlowCalls()).isZero();
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void closeClosesTheDelegate() {
        GuardedGateway gateway = guarded();
        gateway.close();

        assertThat(fake.closed()).isTrue();
    }

    @Test
    void theBulkheadRefusesCallsBeyondItsLimitWithoutMakingThemAndFreesSlotsOnCompletion() {
        GuardedGateway gateway = new GuardedGateway(fake, breaker(Duration.ofMinutes(1)), GuardedGateway.bulkhead("two", 2));
        CompletableFuture<GatewayOutcome> first = gateway.charge(TestPayments.request("b1"));
        gateway.charge(TestPayments.request("b2"));

        GatewayOutcome refused = now(gateway.charge(TestPayments.request("b3")));

        assertThat(refused).isInstanceOf(GatewayOutcome.Retryable.class)
                .extracting(GatewayOutcome::errorClass).isEqualTo("bulkhead_full");
        assertThat(fake.charges()).hasSize(2);
        fake.charges().get(0).complete(new GatewayOutcome.Approved("ch_b1"));
        assertThat(first).isDone();
        gateway.charge(TestPayments.request("b4"));
        assertThat(fake.charges()).hasSize(3);
    }
}
