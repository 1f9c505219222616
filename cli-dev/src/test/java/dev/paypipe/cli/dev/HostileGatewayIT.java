package dev.paypipe.cli.dev;

import dev.paypipe.cli.IntakeLag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.gateway.HttpPaymentGateway;
import dev.paypipe.kafka.PaymentPublisher;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.load.ResultCollector;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.processing.PaymentProcessor;
import dev.paypipe.reconcile.Reconciler;
import dev.paypipe.retry.RetryPolicy;
import dev.paypipe.sim.FaultMix;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.sim.StoredCharge;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import dev.paypipe.worker.PaymentWorker;
import dev.paypipe.worker.WorkerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway's worst day: the hostile fault mix (a third of calls fail, including timeouts, resets and
 * 500s after charging, garbage and incomplete 200s, responses dripping one byte every 200 ms, failing
 * look-ups), a 15 s outage answering 503 and a 10 s outage that hangs. Every payment must end final,
 * none charged twice, the gateway's ledger and the results must agree, and the worker must never
 * freeze while it has work and the gateway is up.
 */
@ExtendWith(PaypipeInfraExtension.class)
class HostileGatewayIT {
    private static final int PAYMENTS = 5_000;
    private static final Duration DEADLINE = Duration.ofSeconds(1);

    @Test
    void everyPaymentEndsCorrectlyAndTheWorkerNeverStallsOnAHostileGateway(KafkaBroker kafka) throws Exception {
        KafkaSettings topics = kafka.freshTopics(4);
        SimulatorConfig simConfig = FaultMix.HOSTILE.apply(SimulatorConfig.builder()
                .latency(Duration.ofMillis(20)).declineRate(0.1)).build();
        GatewaySimulator sim = GatewaySimulator.start(simConfig);
        GatewayConfig gateway = new GatewayConfig(sim.baseUri(), SimulatorConfig.DEFAULT_API_KEY,
                Duration.ofMillis(500), DEADLINE, 256, 1);
        WorkerConfig.BreakerSettings d = WorkerConfig.BreakerSettings.defaults();
        // A short open wait, so that recovery is noticed within the stall bound once the gateway is back.
        WorkerConfig config = WorkerConfig.of(topics, gateway).withMaxInFlight(256)
                .withRampPeriod(Duration.ofSeconds(1))
                .withBreaker(new WorkerConfig.BreakerSettings(d.failureRateThreshold(), d.slowCallRateThreshold(),
                        d.slowCallDuration(), d.windowSize(), d.minimumCalls(), Duration.ofMillis(500),
                        d.halfOpenCalls(), DEADLINE.plusMillis(500)))
                .withRetry(new RetryPolicy(List.of(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5)),
                        Duration.ofMillis(100), Duration.ofSeconds(2), 10));
        PaymentFactory payments = new PaymentFactory("hostile");
        StallMeter stalls = new StallMeter();
        try (sim;
                PaymentWorker worker = new PaymentWorker(config, new SimpleMeterRegistry());
                ResultCollector results = ResultCollector.results(topics.bootstrapServers(), topics.topics().results());
                PaymentPublisher publisher = new PaymentPublisher(topics);
                IntakeLag lag = new IntakeLag(topics.clientProperties(), config.intake().requestsTopic(topics.topics()),
                        config.groupId(), false)) {
            worker.start();
            sim.scheduleOutages(FaultMix.hostileOutages(Duration.ofSeconds(3), Duration.ofSeconds(4)));
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    long seen = results.all().values().stream().mapToLong(List::size).sum();
                    boolean waiting = worker.inFlight() + worker.backlog() > 0 || lag.lag() > 0;
                    stalls.sample(System.nanoTime(), seen, waiting, !sim.inOutage());
                    LockSupport.parkNanos(100_000_000L); // sampling cadence
                }
            }, "stall-sampler");
            sampler.setDaemon(true);
            sampler.start();

            // 150 payments/s for about 33 s, so both outages fall inside the load.
            long start = System.nanoTime();
            for (int i = 0; i < PAYMENTS; i++) {
                long wait = start + i * 1_000_000_000L / 150 - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                publisher.publish(payments.request(i));
            }
            publisher.flush();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> results.payments() == PAYMENTS);
            sampler.interrupt();

            // UNKNOWN only where the gateway's own look-ups failed every time: reconcile settles them.
            long unknown = results.latest().stream().filter(r -> r.status() == PaymentStatus.UNKNOWN).count();
            if (unknown > 0) {
                try (HttpPaymentGateway http = new HttpPaymentGateway(gateway)) {
                    Reconciler.Report report = new Reconciler(topics, config.intake(), http,
                            new PaymentProcessor(config.retry(), DEADLINE, Clock.systemUTC(), new SplittableRandom(7)),
                            Clock.systemUTC(), 16).run();
                    assertThat(report.unknown()).isEqualTo((int) unknown);
                }
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() ->
                        results.latest().stream().noneMatch(r -> r.status() == PaymentStatus.UNKNOWN));
            }

            Map<PaymentStatus, Integer> statuses = new EnumMap<>(PaymentStatus.class);
            for (int i = 0; i < PAYMENTS; i++) {
                String id = payments.paymentId(i);
                List<PaymentResult> all = results.resultsFor(id);
                PaymentResult last = all.get(all.size() - 1);
                statuses.merge(last.status(), 1, Integer::sum);
                Optional<StoredCharge> charge = sim.ledger().find(id);
                if (charge.isPresent() && charge.get().approved()) {
                    assertThat(last.status()).as("%s was charged at the gateway", id).isEqualTo(PaymentStatus.APPROVED);
                } else {
                    assertThat(last.status()).as("%s was not charged at the gateway", id)
                            .isIn(PaymentStatus.DECLINED, PaymentStatus.FAILED);
                }
            }
            assertThat(statuses.keySet()).as("final statuses %s", statuses)
                    .containsOnly(PaymentStatus.APPROVED, PaymentStatus.DECLINED);
            assertThat(sim.ledger().chargedTwice()).isZero();
            assertThat(stalls.maxSeconds()).as("longest interval without a result while work waited and the gateway was up")
                    .isLessThanOrEqualTo(2.0 * DEADLINE.toMillis() / 1000.0);
            assertThat(sim.stats().faults(dev.paypipe.sim.InjectedFault.SLOW_DRIP)).as("slow drips served").isPositive();
        }
    }
}
