package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.kafka.PaymentPublisher;
import dev.paypipe.ledger.LedgerConfig;
import dev.paypipe.ledger.PaymentLedger;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.load.ResultCollector;
import dev.paypipe.retry.RetryPolicy;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import dev.paypipe.worker.PaymentWorker;
import dev.paypipe.worker.WorkerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code paypipe status-of} answers from the ledger's store for a payment that is final and one that is retrying. */
@ExtendWith(PaypipeInfraExtension.class)
class StatusOfIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void statusOfShowsAFinalPaymentAndARetryingOne(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        KafkaSettings topics = kafka.freshTopics(2);
        PaymentFactory payments = new PaymentFactory("status");
        try (GatewaySimulator sim = GatewaySimulator.start(SimulatorConfig.builder().latency(Duration.ZERO)
                        .declineRate(0).noFaults().build());
                PaymentLedger ledger = new PaymentLedger(LedgerConfig.of(topics, dir.resolve("ledger")),
                        new SimpleMeterRegistry());
                ResultCollector results = ResultCollector.results(topics.bootstrapServers(), topics.topics().results());
                PaymentPublisher publisher = new PaymentPublisher(topics)) {
            ledger.start();
            GatewayConfig gateway = new GatewayConfig(sim.baseUri(), SimulatorConfig.DEFAULT_API_KEY,
                    Duration.ofMillis(500), Duration.ofSeconds(1), 16, 1);
            WorkerConfig config = WorkerConfig.of(topics, gateway).withMaxInFlight(16)
                    .withIntake(WorkerConfig.Intake.LEDGER)
                    .withRetry(new RetryPolicy(List.of(Duration.ofSeconds(5)), Duration.ofSeconds(30),
                            Duration.ofSeconds(60), 20));
            try (PaymentWorker worker = new PaymentWorker(config, new SimpleMeterRegistry())) {
                worker.start();
                publisher.publish(payments.request(0));
                publisher.flush();
                await().atMost(Duration.ofSeconds(60)).until(() -> results.payments() == 1);

                // From now on every charge is refused with 429: the next payment waits in a retry tier.
                sim.updateConfig(b -> b.rateLimitRate(1.0).retryAfterSeconds(30));
                publisher.publish(payments.request(1));
                publisher.flush();
                String retrying = payments.paymentId(1);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> "RETRYING".equals(statusOf(ledger, retrying).path("state").asText()));

                JsonNode waiting = statusOf(ledger, retrying);
                assertThat(waiting.get("attempts").asInt()).isEqualTo(1);
                assertThat(waiting.get("lastErrorClass").asText()).isEqualTo("http_429");
                assertThat(waiting.has("nextAttemptAt")).isTrue();

                JsonNode done = statusOf(ledger, payments.paymentId(0));
                assertThat(done.get("state").asText()).isEqualTo("FINAL");
                assertThat(done.get("status").asText()).isEqualTo("APPROVED");
                assertThat(done.get("result").get("paymentId").asText()).isEqualTo(payments.paymentId(0));

                assertThat(run("status-of", "never-published", "--url", ledger.statusUri().toString()).exit)
                        .isEqualTo(1);
            }
        }
    }

    private static JsonNode statusOf(PaymentLedger ledger, String paymentId) throws Exception {
        Run r = run("status-of", paymentId, "--url", ledger.statusUri().toString());
        return r.exit == 0 ? JSON.readTree(r.out) : JSON.createObjectNode();
    }

    private record Run(int exit, String out) {
    }

    private static synchronized Run run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int exit = PaypipeCommand.commandLine().execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }
}
