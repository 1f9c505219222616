package dev.paypipe.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paypipe.cli.IntakeLag;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.kafka.PaymentPublisher;
import dev.paypipe.ledger.LedgerConfig;
import dev.paypipe.ledger.PaymentLedger;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.load.ResultCollector;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher is at-least-once and may die at any moment; clients must still see exactly one final
 * result per payment. A worker in its own JVM is SIGKILLed three times mid-run (no drain, no commit:
 * whatever it had in flight is processed again by its successor) behind the ledger's exit gate. The worker
 * runs with the production group defaults, so each restart takes its partitions back in seconds.
 */
@ExtendWith(PaypipeInfraExtension.class)
class WorkerCrashIT {
    private static final int PAYMENTS = 3_000;

    @Test
    void aKilledDispatcherNeverGivesAClientASecondResult(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        KafkaSettings topics = kafka.freshTopics(4);
        SimulatorConfig simConfig = SimulatorConfig.builder().latency(Duration.ofMillis(30)).declineRate(0.1)
                .noFaults().build();
        PaymentFactory payments = new PaymentFactory("crash");
        String groupId = "crash-" + UUID.randomUUID();
        try (GatewaySimulator sim = GatewaySimulator.start(simConfig);
                PaymentLedger ledger = new PaymentLedger(LedgerConfig.of(topics, dir.resolve("ledger")),
                        new SimpleMeterRegistry());
                ResultCollector results = ResultCollector.results(topics.bootstrapServers(), topics.topics().results());
                PaymentPublisher publisher = new PaymentPublisher(topics)) {
            ledger.start();
            ServiceProcess.Spec spec = TestWorkers.behindLedger(topics, sim, groupId, dir)
                    .with("gateway.response-timeout", "1s");
            try (ServiceProcess worker = ServiceProcess.start(spec)) {
                // 200 payments/s for 15 s; the worker is killed at about 3, 7 and 11 s and started again each time.
                long start = System.nanoTime();
                int kills = 0;
                for (int i = 0; i < PAYMENTS; i++) {
                    long wait = start + i * 1_000_000_000L / 200 - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    publisher.publish(payments.request(i));
                    if (i == 600 || i == 1400 || i == 2200) {
                        publisher.flush();
                        await().atMost(Duration.ofSeconds(60)).until(() -> results.payments() > 0 || !worker.isAlive());
                        worker.kill();
                        kills++;
                        worker.restart();
                    }
                }
                publisher.flush();
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .failFast("the last worker died:\n" + worker.tail(40), () -> !worker.isAlive())
                        .until(() -> results.payments() == PAYMENTS);
                // Let every re-processed record reach the exit gate before counting copies.
                try (IntakeLag workerLag = new IntakeLag(topics.clientProperties(), topics.topics().accepted(),
                        groupId, true);
                        IntakeLag exitLag = new IntakeLag(topics.clientProperties(), topics.topics().outcomes(),
                                ledger.config().applicationId(), false)) {
                    await().atMost(Duration.ofMinutes(1)).during(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(250))
                            .until(() -> workerLag.lag() == 0 && exitLag.lag() == 0);
                }

                assertThat(kills).isEqualTo(3);
                List<String> repeated = new ArrayList<>();
                for (int i = 0; i < PAYMENTS; i++) {
                    List<PaymentResult> seen = results.resultsFor(payments.paymentId(i));
                    if (seen.size() != 1) {
                        repeated.add(payments.paymentId(i) + "=" + seen.size());
                    }
                }
                assertThat(repeated).as("payments without exactly one final result").isEmpty();
                assertThat(sim.ledger().chargedTwice()).isZero();
            }
        }
    }
}
