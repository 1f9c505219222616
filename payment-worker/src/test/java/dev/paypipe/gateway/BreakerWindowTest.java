package dev.paypipe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.model.PaymentRequest;
import dev.paypipe.testing.FakeGateway;
import dev.paypipe.testing.MutableClock;
import dev.paypipe.testing.TestPayments;
import dev.paypipe.worker.WorkerConfig.BreakerSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The breaker's window against the way the worker really calls: in bursts (a poll, a commit, a retry tier
 * releasing due records), whose hung calls all expire together one call deadline later. The clock is fake;
 * every call's answer is placed on it by hand.
 */
class BreakerWindowTest {
    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final Duration FAST = Duration.ofMillis(20);
    private static final int BURST = 1_000;

    private final MutableClock clock = MutableClock.atDefaultStart();
    private final Instant start = clock.instant();
    private final FakeGateway fake = new FakeGateway();
    private final PaymentRequest request = TestPayments.request("pay-1");
    /** What is due on the clock, by milliseconds from {@link #start}. */
    private final TreeMap<Long, List<Runnable>> agenda = new TreeMap<>();
    private final List<Instant> openedAt = new ArrayList<>();

    private GuardedGateway gateway(BreakerSettings settings) {
        CircuitBreaker breaker = CircuitBreaker.of("window-test", settings.toResilience4j(clock));
        breaker.getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAt.add(clock.instant());
            }
        });
        return new GuardedGateway(fake, breaker, GuardedGateway.bulkhead("test", 100_000));
    }

    /**
     * The hostile mix's shape, 1,000 calls sent at one instant: 2 in 25 (8 %) hang until the deadline, the
     * rest answer after 20 ms, a quarter of them with a failure (503 or 500).
     */
    private void burstAt(GuardedGateway gateway, long atMillis) {
        at(atMillis, () -> {
            fake.answerCharges(null);
            int first = fake.charges().size();
            for (int i = 0; i < BURST; i++) {
                gateway.charge(request);
            }
            List<FakeGateway.ChargeCall> sent = fake.charges().subList(first, first + BURST);
            List<FakeGateway.ChargeCall> hung = new ArrayList<>();
            List<FakeGateway.ChargeCall> fast = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                (i % 25 < 2 ? hung : fast).add(sent.get(i));
            }
            at(atMillis + FAST.toMillis(), () -> {
                for (int i = 0; i < fast.size(); i++) {
                    fast.get(i).complete(i % 4 != 3 ? new GatewayOutcome.Approved("ch_ok")
                            : i % 8 == 3 ? new GatewayOutcome.Retryable("http_503", "unavailable", null)
                            : new GatewayOutcome.Ambiguous("http_500", "boom"));
                }
            });
            at(atMillis + DEADLINE.toMillis(), () -> hung.forEach(
                    c -> c.complete(new GatewayOutcome.Ambiguous("deadline_exceeded", "cut off at the deadline"))));
        });
    }

    private void at(long millis, Runnable action) {
        agenda.computeIfAbsent(millis, k -> new ArrayList<>()).add(action);
    }

    /** Moves the clock through the agenda up to {@code untilMillis}, running each action at its time. */
    private void runUntil(long untilMillis) {
        while (!agenda.isEmpty() && agenda.firstKey() <= untilMillis) {
            var next = agenda.pollFirstEntry();
            clock.set(start.plusMillis(next.getKey()));
            next.getValue().forEach(Runnable::run);
        }
        clock.set(start.plusMillis(untilMillis));
    }

    @Test
    void aBurstsDeadlineExpiriesArriveTogetherAndOpenACountWindowOfTwoHundredCalls() {
        // The old defaults: the last 200 calls. The burst's 920 fast answers (25 % failures) fill it first;
        // 20 ms later nothing is wrong. Its 80 hung calls then end together, 5 s later, and 67 of them
        // among 133 fast answers are 50 %.
        GuardedGateway gateway = gateway(BreakerSettings.defaults().withCountWindow(200));
        burstAt(gateway, 0);

        runUntil(FAST.toMillis());
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(gateway.breaker().getMetrics().getFailureRate()).isBetween(20f, 30f);

        runUntil(DEADLINE.toMillis());
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(openedAt).containsExactly(start.plus(DEADLINE));
    }

    @Test
    void theDefaultTimeWindowJudgesABurstsExpiriesWithItsFastAnswersAndStaysClosed() {
        GuardedGateway gateway = gateway(BreakerSettings.defaults());
        // A burst every 500 ms for 30 s: 2,000 calls/s, each burst's expiries landing among the fast answers
        // of the same burst and of the bursts around it.
        for (long t = 0; t < 30_000; t += 500) {
            burstAt(gateway, t);
        }

        runUntil(20_000);
        // 8 % expiries + 25 % of the other 92 % = 31 %: the mix's own share, never a count window's 50 %.
        assertThat(gateway.breaker().getMetrics().getFailureRate()).isBetween(29f, 33f);

        runUntil(30_000 + DEADLINE.toMillis());
        assertThat(fake.openCharges()).as("every hung call expired").isEmpty();
        assertThat(openedAt).isEmpty();
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    /** A steady 1,000 calls/s: healthy answers for 20 s (longer than any window), then an outage of fast 503s. */
    private Duration outageOpensAfter(GuardedGateway gateway, long offsetMillis, double healthyFailures) {
        long outageAt = 20_000 + offsetMillis;
        long failEvery = healthyFailures == 0 ? Long.MAX_VALUE : Math.round(1 / healthyFailures);
        for (long t = 0; t < outageAt; t++) {
            clock.set(start.plusMillis(t));
            boolean fails = t % failEvery == 0;
            fake.answerCharges(r -> fails ? new GatewayOutcome.Retryable("http_503", "unavailable", null)
                    : new GatewayOutcome.Approved("ch_ok"));
            gateway.charge(request);
        }
        assertThat(gateway.breaker().getState()).as("closed before the outage").isEqualTo(CircuitBreaker.State.CLOSED);
        fake.answerCharges(r -> new GatewayOutcome.Retryable("http_503", "outage", null));
        long t = outageAt;
        while (gateway.breaker().getState() == CircuitBreaker.State.CLOSED && t < outageAt + 60_000) {
            clock.set(start.plusMillis(t++));
            gateway.charge(request);
        }
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        return Duration.between(start.plusMillis(outageAt), openedAt.get(0));
    }

    @ParameterizedTest(name = "outage {0} ms into a second")
    @ValueSource(longs = {0, 300, 999})
    void aFastOutageAfterAHealthyPeriodOpensTheDefaultBreakerWithinHalfItsWindow(long offsetMillis) {
        BreakerSettings defaults = BreakerSettings.defaults();
        Duration opened = outageOpensAfter(gateway(defaults), offsetMillis, 0);

        assertThat(opened).isLessThanOrEqualTo(defaults.window().dividedBy(2));
    }

    @Test
    void afterTheFaultMixAnOutageOpensTheBreakerSooner() {
        BreakerSettings defaults = BreakerSettings.defaults();
        Duration opened = outageOpensAfter(gateway(defaults), 0, 1 / 3.0);

        // A third of the window already failing: the outage needs a quarter of the window to reach half.
        assertThat(opened).isLessThanOrEqualTo(defaults.window().dividedBy(4).plusMillis(100));
    }

    @Test
    void theBenchsTwoSecondDeadlineGivesAFourSecondWindowThatOpensWithinTwoSeconds() {
        BreakerSettings bench = BreakerSettings.defaults(Duration.ofSeconds(2));
        assertThat(bench.window()).isEqualTo(Duration.ofSeconds(4));

        assertThat(outageOpensAfter(gateway(bench), 500, 0)).isLessThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aHangingOutageOpensTheDefaultBreakerOnceItsExpiriesOutnumberTheHealthyAnswersInTheWindow() {
        GuardedGateway gateway = gateway(BreakerSettings.defaults());
        // 1,000 calls/s (100 every 100 ms) answered at once for 20 s; from then on every call hangs until
        // its deadline.
        for (long t = 0; t < 30_000; t += 100) {
            long sentAt = t;
            at(t, () -> {
                boolean hangs = sentAt >= 20_000;
                fake.answerCharges(hangs ? null : r -> new GatewayOutcome.Approved("ch_ok"));
                int first = fake.charges().size();
                for (int i = 0; i < 100; i++) {
                    gateway.charge(request);
                }
                List<FakeGateway.ChargeCall> all = fake.charges();
                List<FakeGateway.ChargeCall> sent = all.subList(first, all.size()); // none once it is open
                if (hangs) {
                    at(sentAt + DEADLINE.toMillis(), () -> sent.forEach(c -> c.complete(
                            new GatewayOutcome.Ambiguous("deadline_exceeded", "cut off at the deadline"))));
                }
            });
        }

        runUntil(40_000);

        // The first expiries end 5 s in; they must then outnumber the answers of the window's other 5 s.
        assertThat(openedAt).isNotEmpty();
        Duration opened = Duration.between(start.plusSeconds(20), openedAt.get(0));
        assertThat(opened).isGreaterThan(DEADLINE).isLessThanOrEqualTo(DEADLINE.multipliedBy(2));
    }
}
