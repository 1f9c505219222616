package dev.paypipe.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.paypipe.model.PaymentRequest;
import dev.paypipe.testing.FakeGateway;
import dev.paypipe.testing.MutableClock;
import dev.paypipe.testing.TestPayments;
import dev.paypipe.worker.WorkerConfig.BreakerSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The breaker as the worker configures it: fault mixes, outages, auth failures and operator overrides. Its
 * window under bursts and how fast an outage opens it: {@link BreakerWindowTest}.
 */
class GuardedGatewayFleetTest {
    private final MutableClock clock = MutableClock.atDefaultStart();
    private final FakeGateway fake = new FakeGateway();
    private final PaymentRequest request = TestPayments.request("pay-1");
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(GuardedGateway.class);

    GuardedGatewayFleetTest() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void detachLogs() {
        logger.detachAppender(logs);
    }

    private GuardedGateway gateway(BreakerSettings settings) {
        CircuitBreaker breaker = CircuitBreaker.of("gateway-test", settings.toResilience4j(clock));
        return new GuardedGateway(fake, breaker, GuardedGateway.bulkhead("test", 10_000));
    }

    private static <T> T now(CompletableFuture<T> future) {
        assertThat(future).as("answered without waiting").isDone();
        return future.join();
    }

    private static List<CircuitBreaker.State> transitions(GuardedGateway gateway) {
        List<CircuitBreaker.State> to = new ArrayList<>();
        gateway.breaker().getEventPublisher().onStateTransition(e -> to.add(e.getStateTransition().getToState()));
        return to;
    }

    /** 30 % faults, every one of them counted as a failure (503, 500, deadline, reset): the worst non-outage. */
    private static Supplier<GatewayOutcome> faultMix(Random random, double faultRate) {
        return () -> {
            if (random.nextDouble() >= faultRate) {
                return new GatewayOutcome.Approved("ch_ok");
            }
            return switch (random.nextInt(4)) {
                case 0 -> new GatewayOutcome.Retryable("http_503", "unavailable", Duration.ofSeconds(1));
                case 1 -> new GatewayOutcome.Ambiguous("http_500", "boom");
                case 2 -> new GatewayOutcome.Ambiguous("deadline_exceeded", "cut off");
                default -> new GatewayOutcome.Ambiguous("connection_reset", "reset");
            };
        };
    }

    @Test
    void aThirtyPercentFaultMixThatIsNotAnOutageNeverOpensTheDefaultBreaker() {
        GuardedGateway gateway = gateway(BreakerSettings.defaults());
        List<CircuitBreaker.State> transitions = transitions(gateway);
        Supplier<GatewayOutcome> mix = faultMix(new Random(42), 0.30);
        fake.answerCharges(r -> mix.get());

        for (int i = 0; i < 50_000; i++) { // 1,000 calls/s: the time window slides over 50 s of them
            now(gateway.charge(request));
            clock.advance(Duration.ofMillis(1));
        }

        assertThat(transitions).isEmpty();
        assertThat(gateway.breaker().getMetrics().getFailureRate()).isBetween(15f, 45f);
    }

    @Test
    void rateLimitsWithRetryAfterDoNotCountEvenWhenTheyAreMostAnswers() {
        GuardedGateway gateway = gateway(BreakerSettings.defaults());
        Random random = new Random(7);
        fake.answerCharges(r -> random.nextDouble() < 0.8
                ? new GatewayOutcome.Retryable("http_429", "slow down", Duration.ofSeconds(2))
                : new GatewayOutcome.Approved("ch_ok"));

        for (int i = 0; i < 5_000; i++) {
            now(gateway.charge(request));
        }

        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(gateway.breaker().getMetrics().getNumberOfFailedCalls()).isZero();
    }

    @Test
    void aProbeCutOffByItsDeadlineIsOneFailureAndTheOtherProbesCloseTheBreaker() {
        GuardedGateway gateway = gateway(BreakerSettings.defaults());
        fake.answerCharges(r -> new GatewayOutcome.Retryable("http_503", "outage", null));
        while (gateway.breaker().getState() == CircuitBreaker.State.CLOSED) {
            now(gateway.charge(request));
        }
        clock.advance(BreakerSettings.defaults().openWait().plusMillis(1));

        fake.answerCharges(null);
        List<CompletableFuture<GatewayOutcome>> probes = new ArrayList<>();
        for (int i = 0; i < BreakerSettings.defaults().halfOpenCalls(); i++) {
            probes.add(gateway.charge(request));
        }
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        List<FakeGateway.ChargeCall> open = fake.openCharges();
        open.get(0).complete(new GatewayOutcome.Ambiguous("deadline_exceeded", "dripping probe cut off"));
        open.subList(1, open.size()).forEach(c -> c.complete(new GatewayOutcome.Approved("ch_ok")));

        assertThat(probes).allSatisfy(p -> assertThat(p).isDone());
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aProbeThatNeverEndsCannotHoldTheBreakerHalfOpen() {
        // A delegate without a deadline: the bounded half-open wait re-opens (no proof of health), and
        // probing starts again after the open wait. It runs on Resilience4j's own timer thread (not on
        // the clock), so this test uses a 50 ms wait and awaits it.
        BreakerSettings settings = new BreakerSettings(50, 100, Duration.ofMinutes(1), 4, 4, Duration.ofSeconds(30), 2,
                Duration.ofMillis(50));
        GuardedGateway gateway = gateway(settings);
        List<CircuitBreaker.State> transitions = transitions(gateway);
        fake.answerCharges(r -> new GatewayOutcome.Ambiguous("http_502", "bad gateway"));
        for (int i = 0; i < 4; i++) {
            now(gateway.charge(request));
        }
        clock.advance(Duration.ofSeconds(31));
        fake.answerCharges(null); // the probes never end
        CompletableFuture<GatewayOutcome> probe = gateway.charge(request);
        gateway.charge(request);
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.breaker().getState() == CircuitBreaker.State.OPEN);
        assertThat(transitions).containsExactly(CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN,
                CircuitBreaker.State.OPEN);

        clock.advance(Duration.ofSeconds(31));
        fake.answerCharges(r -> new GatewayOutcome.Approved("ch_ok"));
        assertThat(now(gateway.charge(request))).as("probing again").isEqualTo(new GatewayOutcome.Approved("ch_ok"));
        // A stuck probe answering much later breaks nothing.
        fake.openCharges().forEach(c -> c.complete(new GatewayOutcome.Approved("ch_late")));
        assertThat(now(probe)).isEqualTo(new GatewayOutcome.Approved("ch_late"));
    }

    @Test
    void aRefusedApiKeyStopsTheFleetLoudlyOnceUntilAnOperatorResetsTheBreaker() {
        GuardedGateway gateway = gateway(BreakerSettings.defaults());
        fake.answerCharges(null);
        CompletableFuture<GatewayOutcome> first = gateway.charge(TestPayments.request("a"));
        CompletableFuture<GatewayOutcome> second = gateway.charge(TestPayments.request("b"));
        fake.charges().get(0).complete(new GatewayOutcome.Retryable("http_401", "refused", null));

        assertThat(now(first)).isEqualTo(new GatewayOutcome.Retryable("http_401", "refused", null));
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);
        assertThat(now(gateway.charge(request)).errorClass()).isEqualTo("breaker_open");
        assertThat(now(gateway.lookup("pay-1"))).isInstanceOf(ChargeLookup.Failed.class);
        assertThat(fake.charges()).hasSize(2);
        assertThat(fake.lookups()).isEmpty();

        fake.charges().get(1).complete(new GatewayOutcome.Retryable("http_403", "forbidden", null));
        now(second);
        assertThat(gateway.authFailures()).isEqualTo(2);
        List<ILoggingEvent> loud = logs.list.stream()
                .filter(e -> e.getKeyValuePairs() != null && e.getKeyValuePairs().stream()
                        .anyMatch(kv -> kv.key.equals("event") && "gateway_auth_failed".equals(kv.value)))
                .toList();
        assertThat(loud).as("logged once per stop").hasSize(1);
        assertThat(loud.get(0).getKeyValuePairs()).anySatisfy(kv -> {
            assertThat(kv.key).isEqualTo("action");
            assertThat(kv.value).isEqualTo("fleet stopped: fix gateway.api-key, then reset the breaker");
        });
        assertThat(loud.get(0).getKeyValuePairs()).anySatisfy(kv -> {
            assertThat(kv.key).isEqualTo("status");
            assertThat(kv.value).isEqualTo("401");
        });
        clock.advance(Duration.ofMinutes(10));
        assertThat(now(gateway.charge(request)).errorClass()).as("no automatic recovery").isEqualTo("breaker_open");

        gateway.resetBreaker();
        fake.answerCharges(r -> new GatewayOutcome.Approved("ch_ok"));
        assertThat(now(gateway.charge(request))).isEqualTo(new GatewayOutcome.Approved("ch_ok"));
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void anAuthFailureOnALookUpAlsoStopsTheFleet() {
        GuardedGateway gateway = gateway(BreakerSettings.defaults());
        fake.answerLookups(id -> new ChargeLookup.Failed("http_403", "look-up answered 403"));

        now(gateway.lookup("pay-1"));

        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);
        assertThat(gateway.authFailures()).isEqualTo(1);
    }

    @Test
    void operatorsCanForceTheBreakerOpenAndHandItBackToTheFailureRates() {
        GuardedGateway gateway = gateway(BreakerSettings.defaults());
        fake.answerCharges(r -> new GatewayOutcome.Approved("ch_ok"));

        gateway.forceOpen();
        assertThat(now(gateway.charge(request)).errorClass()).isEqualTo("breaker_open");
        assertThat(fake.charges()).isEmpty();

        gateway.auto();
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(now(gateway.charge(request))).isEqualTo(new GatewayOutcome.Approved("ch_ok"));

        gateway.auto(); // not forced: nothing to undo
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
