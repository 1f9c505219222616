package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.kafka.PaymentPublisher;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.load.ResultCollector;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10 item 7: a {@code paypipe worker} with {@code reconcile.interval} settles its UNKNOWN payments by itself. */
@ExtendWith(PaypipeInfraExtension.class)
class ScheduledReconcileIT {
    private static final int PAYMENTS = 20;

    @Test
    void aWorkerWithAReconcileIntervalSettlesUnknownPaymentsWithoutAnOperator(KafkaBroker kafka, @TempDir Path dir)
            throws Exception {
        KafkaSettings topics = kafka.freshTopics(2);
        // The gateway charges, then answers too late: with one attempt allowed every payment ends UNKNOWN.
        SimulatorConfig hangsAfterCharging = SimulatorConfig.builder().latency(Duration.ZERO).declineRate(0.25)
                .noFaults().timeoutAfterChargeRate(1.0).hangTime(Duration.ofSeconds(2)).build();
        PaymentFactory payments = new PaymentFactory("sched");
        try (GatewaySimulator sim = GatewaySimulator.start(hangsAfterCharging);
                ResultCollector results = ResultCollector.results(topics.bootstrapServers(), topics.topics().results());
                PaymentPublisher publisher = new PaymentPublisher(topics)) {
            ProcessEnv env = ProcessEnv.worker(topics, sim.baseUri(), SimulatorConfig.DEFAULT_API_KEY)
                    .with("gateway.response-timeout", "300ms").with("retry.tiers", "1s").with("retry.base", "10ms")
                    .with("retry.cap", "10ms").with("retry.max-attempts", "1").with("reconcile.interval", "10s");
            try (ChildJvm worker = ChildJvm.start(dir, "worker-reconciling", env.toMap(), "worker")) {
                try {
                    for (int i = 0; i < PAYMENTS; i++) {
                        publisher.publish(payments.request(i));
                    }
                    publisher.flush();
                    await("every payment UNKNOWN first").atMost(Duration.ofSeconds(60)).until(() ->
                            results.payments() == PAYMENTS && results.all().values().stream()
                                    .allMatch(list -> list.get(0).status() == PaymentStatus.UNKNOWN));

                    await("settled by the schedule").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                            .until(() -> results.latest().stream().map(PaymentResult::status)
                                    .noneMatch(s -> s == PaymentStatus.UNKNOWN));

                    assertThat(results.latest()).extracting(PaymentResult::status)
                            .containsOnly(PaymentStatus.APPROVED, PaymentStatus.DECLINED);
                    assertThat(sim.ledger().chargedTwice()).isZero();
                    assertThat(sim.stats().chargeCalls()).as("settled by look-ups, not charged again").isEqualTo(PAYMENTS);
                    assertThat(worker.output()).contains("scheduled reconciliation started").contains("reconcile finished");
                } catch (Throwable t) {
                    System.out.println("worker output:\n" + worker.output());
                    throw t;
                }
            }
        }
    }
}
