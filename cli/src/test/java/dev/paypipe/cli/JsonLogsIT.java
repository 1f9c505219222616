package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.kafka.PaymentPublisher;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.load.ResultCollector;
import dev.paypipe.model.PaymentRequest;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import dev.paypipe.testkit.Ports;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code paypipe worker} process with the production logback.xml, card tokens on every request, an
 * API key and an admin token configured, retries, dead letters and rejected requests along the way:
 * every line it prints is a JSON object, payment events carry {@code event} and {@code paymentId}
 * fields, and no card token, API key or token appears on any line.
 */
@ExtendWith(PaypipeInfraExtension.class)
class JsonLogsIT {
    private static final int PAYMENTS = 150;
    private static final int INVALID = 5;
    private static final Set<String> PAYMENT_EVENTS = Set.of("payment_rejected", "retry_scheduled", "dead_lettered");

    @Test
    void everyLineIsJsonPaymentEventsCarryTheirIdsAndNoSecretIsPrinted(KafkaBroker kafka, @TempDir Path dir)
            throws Exception {
        KafkaSettings topics = kafka.freshTopics(2);
        String apiKey = "sk_live_" + UUID.randomUUID().toString().replace("-", "");
        String adminToken = "adm_" + UUID.randomUUID().toString().replace("-", "");
        SimulatorConfig simConfig = SimulatorConfig.builder().latency(Duration.ofMillis(5)).unavailableRate(0.3)
                .retryAfterSeconds(0).declineRate(0.1).apiKey(apiKey).build();
        PaymentFactory payments = new PaymentFactory("logs");
        List<String> secrets = new ArrayList<>(List.of(apiKey, adminToken));
        URL logback = getClass().getClassLoader().getResource("logback.xml");
        assertThat(logback).as("production logback.xml").isNotNull();

        try (GatewaySimulator sim = GatewaySimulator.start(simConfig);
                ResultCollector results = ResultCollector.results(topics.bootstrapServers(), topics.topics().results());
                PaymentPublisher publisher = new PaymentPublisher(topics)) {
            int adminPort = Ports.free();
            ProcessEnv env = ProcessEnv.worker(topics, sim.baseUri(), apiKey)
                    .with("admin.token", adminToken).with("admin.port", Integer.toString(adminPort))
                    .with("retry.tiers", "200ms,1s").with("retry.base", "50ms").with("retry.cap", "300ms")
                    .with("retry.max-attempts", "2");
            ChildJvm worker = ChildJvm.start(dir, "worker-json", env.toMap(),
                    List.of("-Dlogback.configurationFile=" + logback), "worker");
            String output;
            try {
                for (int i = 0; i < PAYMENTS; i++) {
                    PaymentRequest request = payments.request(i);
                    secrets.add(request.paymentMethod());
                    publisher.publish(request);
                }
                publisher.flush();
                publishInvalid(topics, secrets);
                await("every payment final").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                        .until(() -> {
                            assertThat(worker.isAlive()).as("worker alive:%n%s", worker.output()).isTrue();
                            return results.payments() == PAYMENTS + INVALID;
                        });
                // an operator pause and resume through the admin endpoint: the token must not be logged either
                URI admin = URI.create("http://127.0.0.1:" + adminPort);
                assertThat(post(admin.resolve("/admin/pause?reason=log-check&by=it"), adminToken)).isEqualTo(200);
                await("paused").atMost(Duration.ofSeconds(5)).until(() -> worker.output().contains("\"consumer_paused\""));
                assertThat(post(admin.resolve("/admin/resume"), adminToken)).isEqualTo(200);
                await("resumed").atMost(Duration.ofSeconds(5)).until(() -> worker.output().contains("\"consumer_resumed\""));
                assertThat(worker.stop()).as("exit code after SIGTERM").isIn(0, 143);
                output = worker.output();
            } finally {
                worker.close();
            }

            ObjectMapper json = new ObjectMapper();
            Set<String> events = new HashSet<>();
            String[] lines = output.split("\n");
            assertThat(lines.length).isGreaterThan(PAYMENTS / 10);
            for (String line : lines) {
                JsonNode node = json.readTree(line);
                assertThat(node.isObject()).as("a JSON object: %s", line).isTrue();
                assertThat(node.hasNonNull("message") && node.hasNonNull("level")).as("message and level: %s", line)
                        .isTrue();
                if (node.hasNonNull("event")) {
                    events.add(node.get("event").asText());
                    if (PAYMENT_EVENTS.contains(node.get("event").asText())) {
                        assertThat(node.path("paymentId").asText()).as("paymentId on %s", line).isNotBlank();
                    }
                }
                assertThat(line).as("no {} placeholder left").doesNotContain("{}");
                for (String secret : secrets) {
                    assertThat(line).as("a secret or card token in the log").doesNotContain(secret);
                }
            }
            assertThat(events).contains("worker_starting", "payment_rejected", "retry_scheduled", "dead_lettered",
                    "admin_started", "admin_command", "fleet_pause_received", "consumer_paused", "consumer_resumed",
                    "worker_stopped");
        }
    }

    private static int post(URI uri, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Requests with a card token that fail validation: rejected, dead-lettered, logged without the token. */
    private static void publishInvalid(KafkaSettings topics, List<String> secrets) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(topics.producerProperties("it-invalid"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < INVALID; i++) {
                String id = "logs-invalid-" + i;
                String token = "tok_live_invalid_" + UUID.randomUUID().toString().replace("-", "");
                secrets.add(token);
                String value = "{\"paymentId\":\"" + id + "\",\"orderId\":\"o-" + i + "\",\"amount\":\"12.345\","
                        + "\"currency\":\"EUR\",\"customerId\":\"c-1\",\"paymentMethod\":\"" + token
                        + "\",\"createdAt\":\"2026-12-02T01:00:00Z\"}";
                producer.send(new ProducerRecord<>(topics.topics().requests(), id, value.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }
}
