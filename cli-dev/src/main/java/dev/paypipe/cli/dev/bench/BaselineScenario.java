package dev.paypipe.cli.dev.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.kafka.PaymentPublisher;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.testkit.TestInfra;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code baseline} scenario: a backlog of payments through {@link BlockingBaselineConsumer} against the same
 * 50 ms gateway, its steady rate (completed payments per second after a warm-up), and paypipe's sustained rate
 * against it.
 */
final class BaselineScenario {
    /** How long after the warm-up the blocking consumers' group may take to settle. */
    private static final int SETTLE_SECONDS = 120;

    private BaselineScenario() {
    }

    static ObjectNode run(BenchSizes sizes, BenchProgress progress, int paypipeRate) throws Exception {
        long latencyMs = ThroughputScenarios.LATENCY_MS;
        KafkaSettings topics = TestInfra.kafka().freshTopics(sizes.partitions());
        // Twice what partitions × one call per latency can do in the run: the consumers never run dry.
        int backlog = (int) (2 * sizes.partitions() * (1000 / latencyMs)
                * (sizes.warmUpSeconds() + sizes.baselineSeconds() + 1));
        SimulatorConfig config = SimulatorConfig.builder().latency(Duration.ofMillis(latencyMs)).declineRate(0.1)
                .build();
        progress.phase("baseline: publishing " + backlog);
        try (GatewaySimulator sim = GatewaySimulator.start(config);
                PaymentPublisher publisher = new PaymentPublisher(topics)) {
            PaymentFactory factory = new PaymentFactory("baseline");
            for (int i = 0; i < backlog; i++) {
                publisher.publish(factory.request(i));
            }
            publisher.flush();
            try (BlockingBaselineConsumer baseline = new BlockingBaselineConsumer(topics, sim.baseUri(),
                    SimulatorConfig.DEFAULT_API_KEY, sizes.partitions())) {
                progress.phase("baseline: warm-up");
                baseline.start();
                long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(sizes.warmUpSeconds());
                // Measured from a settled group on: 8 members joining one by one can hold it in rebalances for tens of
                // seconds (18-150 payments/s measured in runs of one build before this wait).
                long settleBy = warmEnd + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
                while (System.nanoTime() < warmEnd || baseline.completed() == 0 || !baseline.groupSettled()) {
                    if (System.nanoTime() > settleBy) {
                        throw new IllegalStateException("baseline: the group of " + sizes.partitions()
                                + " blocking consumers did not settle (each with a partition) within "
                                + SETTLE_SECONDS + " s after the warm-up");
                    }
                    progress.tick();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // sampling period
                }
                progress.phase("baseline: measuring");
                long from = baseline.completed();
                long start = System.nanoTime();
                long end = start + TimeUnit.SECONDS.toNanos(sizes.baselineSeconds());
                while (System.nanoTime() < end) {
                    progress.tick();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // sampling period
                }
                double rate = (baseline.completed() - from) / ((System.nanoTime() - start) / 1e9);
                ObjectNode n = JsonNodeFactory.instance.objectNode();
                n.put("consumers", sizes.partitions());
                n.put("gatewayLatencyMs", latencyMs);
                n.put("paymentsPerSec", ThroughputScenarios.round3(rate));
                n.put("paypipePaymentsPerSec", paypipeRate);
                n.put("ratio", ThroughputScenarios.round3(paypipeRate / Math.max(1e-3, rate)));
                n.put("failed", baseline.failed());
                return n;
            }
        }
    }
}
