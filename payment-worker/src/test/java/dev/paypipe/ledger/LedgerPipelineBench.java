package dev.paypipe.ledger;

import static org.awaitility.Awaitility.await;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.kafka.PaymentPublisher;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.retry.RetryPolicy;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import dev.paypipe.worker.PaymentWorker;
import dev.paypipe.worker.WorkerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Publisher, worker and gateway simulator (50 ms) in one JVM with the embedded broker, with and without the ledger,
 * alternating: payments per second from the first publish to the last result a read_committed client sees. A
 * benchmark, not a test ({@code -Dit.test=LedgerPipelineBench -Dledger.bench.n=N -Dledger.bench.rounds=R
 * -Dledger.bench.intake=ledger|direct}).
 */
@ExtendWith(PaypipeInfraExtension.class)
class LedgerPipelineBench {
    private final KafkaBroker broker;

    LedgerPipelineBench(KafkaBroker broker) {
        this.broker = broker;
    }

    @Test
    void withAndWithoutTheLedger() throws Exception {
        int n = Integer.getInteger("ledger.bench.n", 50_000);
        int rounds = Integer.getInteger("ledger.bench.rounds", 2);
        for (int round = 0; round < rounds; round++) {
            for (WorkerConfig.Intake intake : WorkerConfig.Intake.values()) {
                String only = System.getProperty("ledger.bench.intake");
                if (only == null || only.equalsIgnoreCase(intake.name())) {
                    run(intake, n, round);
                }
            }
        }
    }

    private void run(WorkerConfig.Intake intake, int n, int round) throws Exception {
        KafkaSettings kafka = broker.freshTopics(4);
        PaymentFactory payments = new PaymentFactory("r" + round + intake.name().charAt(0) + System.nanoTime() % 100000);
        SimulatorConfig simConfig = SimulatorConfig.builder().latency(Duration.ofMillis(50)).declineRate(0.1).noFaults()
                .build();
        Path state = Files.createTempDirectory("ledger-bench");
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (GatewaySimulator sim = GatewaySimulator.start(simConfig);
                PaymentLedger ledger = intake == WorkerConfig.Intake.LEDGER
                        ? new PaymentLedger(LedgerConfig.of(kafka, state), new SimpleMeterRegistry()) : null;
                LedgerIT.CommittedResults results = new LedgerIT.CommittedResults(kafka)) {
            if (ledger != null) {
                ledger.start();
                ledger.awaitRunning(Duration.ofSeconds(60));
            }
            GatewayConfig gateway = new GatewayConfig(sim.baseUri(), SimulatorConfig.DEFAULT_API_KEY,
                    Duration.ofSeconds(1), Duration.ofSeconds(1), 1000, 2);
            WorkerConfig config = WorkerConfig.of(kafka, gateway).withIntake(intake).withMaxInFlight(1000)
                    .withRampPeriod(Duration.ofSeconds(2))
                    .withRetry(new RetryPolicy(RetryPolicy.DEFAULT_TIERS, Duration.ofMillis(200), Duration.ofSeconds(10), 10));
            try (PaymentWorker worker = new PaymentWorker(config, new SimpleMeterRegistry());
                    PaymentPublisher publisher = new PaymentPublisher(kafka)) {
                worker.start();
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    publisher.publish(payments.request(i));
                }
                publisher.flush();
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(10))
                        .until(() -> results.payments() >= n);
                double s = (System.nanoTime() - t0) / 1e9;
                double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
                System.out.printf("LedgerPipelineBench round %d intake=%s: %,d payments in %.2f s = %,.0f payments/s, "
                        + "CPU %.1f s (%.2f cores), results seen %d%n", round, intake, n, s, n / s, cpu, cpu / s,
                        results.records.get());
            }
        }
    }
}
