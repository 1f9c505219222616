package dev.paypipe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paypipe.kafka.PaymentHeaders;
import dev.paypipe.load.ResultCollector;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.retry.RetryPolicy;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 4's failure scenarios against a real broker and the gateway simulator over HTTP. */
@ExtendWith(PaypipeInfraExtension.class)
class WorkerResilienceIT {
    private static final List<Duration> TIERS = List.of(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5));
    private final KafkaBroker kafka;

    WorkerResilienceIT(KafkaBroker kafka) {
        this.kafka = kafka;
    }

    @Test
    void thirtyPercentTransientFaultsEndApprovedOrDeclinedAndNoRetryRunsBeforeItsDueTime() {
        SimulatorConfig sim = SimulatorConfig.builder().latency(Duration.ofMillis(5)).declineRate(0.1)
                .serverErrorRate(0.10).rateLimitRate(0.05).unavailableRate(0.05).timeoutBeforeChargeRate(0.10)
                .retryAfterSeconds(1).hangTime(Duration.ofSeconds(2)).build();
        // Transient faults must never open the breaker here: this test is about retries.
        try (WorkerFixture f = WorkerFixture.start(kafka, sim, c -> c
                .withRetry(new RetryPolicy(TIERS, Duration.ofMillis(100), Duration.ofSeconds(1), 15))
                .withBreaker(new WorkerConfig.BreakerSettings(90, 100, Duration.ofSeconds(5), 100, 100,
                        Duration.ofSeconds(1), 5)));
                ResultCollector retries = ResultCollector.raw(kafka.bootstrapServers(),
                        f.kafka.topics().retryTier(TIERS.get(0)))) {
            f.publish(0, 500);

            await().atMost(Duration.ofSeconds(90)).until(() -> f.results.payments() == 500);

            assertThat(f.results.latest()).extracting(PaymentResult::status)
                    .containsOnly(PaymentStatus.APPROVED, PaymentStatus.DECLINED);
            assertThat(f.worker(0).retriesByTier()).isNotEmpty();
            assertThat(f.sim.ledger().chargedTwice()).isZero();
            assertThat(f.deadLetters.records()).isEmpty();

            // No call for a payment between the moment its retry was scheduled and its due time.
            Map<String, List<Long>> callsByPayment = f.calls.stream().collect(Collectors.groupingBy(
                    WorkerFixture.Call::paymentId, Collectors.mapping(WorkerFixture.Call::atMillis, Collectors.toList())));
            await().atMost(Duration.ofSeconds(10)).until(() -> !retries.records().isEmpty());
            for (ConsumerRecord<String, byte[]> retry : retries.records()) {
                long scheduled = retry.timestamp();
                long due = PaymentHeaders.longValue(retry.headers(), PaymentHeaders.DUE_AT, 0);
                assertThat(callsByPayment.get(retry.key()))
                        .as("calls for %s scheduled at %d due at %d", retry.key(), scheduled, due)
                        .noneMatch(t -> t > scheduled && t < due);
            }
        }
    }

    @Test
    void timeoutAfterChargingIsResolvedByLookUpAndChargedOnce() {
        SimulatorConfig sim = SimulatorConfig.builder().latency(Duration.ZERO).noFaults()
                .timeoutAfterChargeRate(1.0).hangTime(Duration.ofSeconds(2)).build();
        try (WorkerFixture f = WorkerFixture.start(kafka, sim, c -> c)) {
            f.publish(0, 20);

            await().atMost(Duration.ofSeconds(60)).until(() -> f.results.payments() == 20);

            assertThat(f.results.latest()).extracting(PaymentResult::status).containsOnly(PaymentStatus.APPROVED);
            for (int i = 0; i < 20; i++) {
                assertThat(f.sim.ledger().chargesFor(f.payments.paymentId(i))).isEqualTo(1);
            }
            assertThat(f.sim.stats().lookupCalls()).isGreaterThanOrEqualTo(20);
            assertThat(f.sim.stats().chargeCalls()).as("the look-up found the charge: no second POST").isEqualTo(20);
        }
    }

    @Test
    void permanentFailureEndsFailedWhenNeverChargedAndUnknownWhenMaybeChargedWithDeadLetters() {
        SimulatorConfig unavailable = SimulatorConfig.builder().latency(Duration.ZERO).noFaults()
                .unavailableRate(1.0).retryAfterSeconds(0).build();
        WorkerConfig.BreakerSettings lenient = new WorkerConfig.BreakerSettings(100, 100, Duration.ofSeconds(5),
                1000, 1000, Duration.ofSeconds(1), 5);
        try (WorkerFixture f = WorkerFixture.start(kafka, unavailable, c -> c.withBreaker(lenient)
                .withRetry(new RetryPolicy(TIERS, Duration.ofMillis(20), Duration.ofMillis(100), 3)))) {
            f.publish(0, 1);
            String id = f.payments.paymentId(0);

            await().atMost(Duration.ofSeconds(30)).until(() -> !f.results.resultsFor(id).isEmpty()
                    && !f.deadLetters.records().isEmpty());

            assertThat(f.results.resultsFor(id).get(0).status()).isEqualTo(PaymentStatus.FAILED);
            assertThat(f.results.resultsFor(id).get(0).attempts()).isEqualTo(3);
            ConsumerRecord<String, byte[]> dead = f.deadLetters.records().get(0);
            assertThat(PaymentHeaders.string(dead.headers(), PaymentHeaders.ERROR_CLASS)).isEqualTo("http_503");
            assertThat(PaymentHeaders.string(dead.headers(), PaymentHeaders.ATTEMPT)).isEqualTo("3");
            assertThat(PaymentHeaders.string(dead.headers(), PaymentHeaders.ERROR_MESSAGE)).contains("never charged");
            assertThat(PaymentHeaders.string(dead.headers(), PaymentHeaders.ORIGIN)).startsWith(f.kafka.topics().requests());
            assertThat(PaymentHeaders.string(dead.headers(), PaymentHeaders.DEAD_LETTERED_AT)).isNotBlank();
            assertThat(dead.key()).isEqualTo(id);

            f.sim.updateConfig(SimulatorConfig.builder().latency(Duration.ZERO).noFaults().serverErrorRate(1.0).build());
            f.publish(1, 2);
            String maybeCharged = f.payments.paymentId(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> !f.results.resultsFor(maybeCharged).isEmpty());
            assertThat(f.results.resultsFor(maybeCharged).get(0).status()).isEqualTo(PaymentStatus.UNKNOWN);
            await().atMost(Duration.ofSeconds(10)).until(() -> f.deadLetters.records().size() == 2);
        }
    }

    @Test
    void gatewayOutageOpensTheBreakerStopsFetchingAndRecoversWithOnlyProbesDuringTheOutage() throws Exception {
        SimulatorConfig sim = SimulatorConfig.builder().latency(Duration.ofMillis(10)).declineRate(0.1).noFaults().build();
        WorkerConfig.BreakerSettings breaker = new WorkerConfig.BreakerSettings(50, 100, Duration.ofSeconds(5),
                50, 20, Duration.ofSeconds(2), 3);
        try (WorkerFixture f = WorkerFixture.start(kafka, sim, c -> c.withBreaker(breaker))) {
            int total = 3000;
            Thread publisher = new Thread(() -> {
                for (int i = 0; i < total; i += 100) {
                    f.publish(i, i + 100);
                    try {
                        Thread.sleep(100); // a steady 1,000 payments/s of load
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
            publisher.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> f.results.payments() >= 300);

            long outageStart = System.currentTimeMillis();
            f.sim.beginOutage(Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(2)).until(() -> f.worker(0).breakerState() == CircuitBreaker.State.OPEN);
            long openedAfter = System.currentTimeMillis() - outageStart;
            long callsAtOpen = f.sim.stats().chargeCallsDuringOutage();
            await().atMost(Duration.ofSeconds(25)).until(() -> !f.sim.inOutage());
            long probes = f.sim.stats().chargeCallsDuringOutage() - callsAtOpen;
            publisher.join();

            await().atMost(Duration.ofSeconds(90)).until(() -> f.results.payments() == total);

            assertThat(openedAfter).isLessThanOrEqualTo(2000);
            // Half-open every 2 s with 3 probe calls: about 10 rounds in 20 s, never the backlog.
            assertThat(probes).as("calls after the breaker opened").isLessThanOrEqualTo(3L * 12);
            assertThat(f.results.all().values()).allSatisfy(list -> assertThat(list).hasSize(1));
            assertThat(f.results.latest()).extracting(PaymentResult::status)
                    .containsOnly(PaymentStatus.APPROVED, PaymentStatus.DECLINED);
            assertThat(f.sim.ledger().chargedTwice()).isZero();
            assertThat(f.sim.stats().chargeCalls() / (double) total).isLessThanOrEqualTo(1.5);
            assertThat(f.worker(0).breakerOpenMillis()).isGreaterThan(10_000);
        }
    }

    @Test
    void secondWorkerJoiningWhileARetryPartitionWaitsLosesNothingAndChargesNothingTwice() {
        SimulatorConfig sim = SimulatorConfig.builder().latency(Duration.ofMillis(5)).declineRate(0.1).noFaults()
                .unavailableRate(0.3).retryAfterSeconds(3).build();
        WorkerConfig.BreakerSettings lenient = new WorkerConfig.BreakerSettings(100, 100, Duration.ofSeconds(5),
                1000, 1000, Duration.ofSeconds(1), 5);
        try (WorkerFixture f = WorkerFixture.start(kafka, sim, c -> c.withBreaker(lenient)
                .withRetry(new RetryPolicy(TIERS, Duration.ofMillis(100), Duration.ofSeconds(1), 20)))) {
            f.publish(0, 600);
            // Retry-After: 3 puts retries in the 5 s tier, whose partitions now wait on not-yet-due heads.
            await().atMost(Duration.ofSeconds(30)).until(() -> f.worker(0).retriesByTier().containsKey(Duration.ofSeconds(5)));

            f.addWorker();
            f.publish(600, 1200);

            await().atMost(Duration.ofSeconds(120)).until(() -> f.results.payments() == 1200);
            assertThat(f.results.latest()).extracting(PaymentResult::status)
                    .containsOnly(PaymentStatus.APPROVED, PaymentStatus.DECLINED);
            assertThat(f.sim.ledger().chargedTwice()).isZero();
            for (int i = 0; i < 1200; i++) {
                assertThat(f.sim.ledger().chargesFor(f.payments.paymentId(i))).isLessThanOrEqualTo(1);
            }
        }
    }
}
