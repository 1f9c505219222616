package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.control.FleetStatus;
import dev.paypipe.control.StatusReport;
import dev.paypipe.kafka.PaymentPublisher;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.load.ResultCollector;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import dev.paypipe.testkit.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code paypipe ledger} as a process: ready once Kafka answers and Streams runs (both named in
 * {@code /health/ready}), its own and the Streams client's meters on {@code /metrics}, a heartbeat with the Streams
 * state, and a fleet pause that it reports (heartbeat, readiness) while its door keeps admitting requests.
 */
@ExtendWith(PaypipeInfraExtension.class)
class LedgerProcessIT {
    private static final int BEFORE = 10;
    private static final int DURING = 10;

    @Test
    void theLedgerProcessIsReadyWithStreamsRunningServesItsMetersAndReportsAFleetPauseWithoutStopping(
            KafkaBroker kafka, @TempDir Path dir) throws Exception {
        KafkaSettings topics = kafka.freshTopics(2);
        Path config = dir.resolve("operator.properties");
        Files.writeString(config, "kafka.bootstrap-servers=" + topics.bootstrapServers() + "\nkafka.topic-prefix="
                + ProcessEnv.prefix(topics) + "\n");
        int port = Ports.free();
        String token = "adm_" + UUID.randomUUID().toString().replace("-", "");
        ProcessEnv env = ProcessEnv.worker(topics, URI.create("http://127.0.0.1:1"), "unused")
                .with("admin.port", Integer.toString(port)).with("admin.token", token)
                .with("ledger.http-port", "0").with("ledger.state-dir", dir.resolve("ledger-state").toString());
        URI admin = URI.create("http://127.0.0.1:" + port);
        PaymentFactory payments = new PaymentFactory("ledger-proc");

        try (ChildJvm ledger = ChildJvm.start(dir, "ledger", env.toMap(), "ledger");
                ResultCollector accepted = ResultCollector.raw(topics.bootstrapServers(), topics.topics().accepted());
                PaymentPublisher publisher = new PaymentPublisher(topics)) {
            try {
                await("ready").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                        .ignoreExceptions().until(() -> {
                            assertThat(ledger.isAlive()).as("ledger alive").isTrue();
                            return get(admin.resolve("/health/ready"), null).statusCode() == 200;
                        });
                JsonNode ready = json(get(admin.resolve("/health/ready"), null).body());
                assertThat(ready.at("/checks/kafka/status").asText()).isEqualTo("UP");
                assertThat(ready.at("/checks/streams/status").asText()).isEqualTo("UP");
                assertThat(ready.at("/checks/streams/detail").asText()).matches("streams (RUNNING|REBALANCING)");
                assertThat(get(admin.resolve("/health/live"), null).statusCode()).isEqualTo(200);

                for (int i = 0; i < BEFORE; i++) {
                    publisher.publish(payments.request(i));
                }
                publisher.flush();
                await("admitted by the door").atMost(Duration.ofSeconds(30)).until(() -> accepted.records().size()
                        == BEFORE);
                String metrics = get(admin.resolve("/metrics"), null).body();
                assertThat(metrics)
                        .containsPattern("paypipe_ledger_requests_total\\{[^}]*outcome=\"accepted\"[^}]*service=\"ledger\"[^}]*\\} 10\\.0")
                        .containsPattern("paypipe_ledger_results_total\\{")
                        .containsPattern("kafka_stream_thread_\\w+\\{");

                assertThat(get(admin.resolve("/admin/status"), null).statusCode()).as("no token").isEqualTo(401);
                JsonNode status = json(get(admin.resolve("/admin/status"), token).body());
                assertThat(status.path("role").asText()).isEqualTo("ledger");
                assertThat(status.at("/details/streams").asText()).isEqualTo("RUNNING");

                assertThat(PaypipeCommand.commandLine().execute("pause", "--config", config.toString(), "--reason",
                        "gateway outage INC-7", "--by", "it")).isZero();
                await("the ledger reports the fleet pause").atMost(Duration.ofSeconds(15)).until(() ->
                        ledgerReport(topics).filter(r -> r.paused() && "it".equals(r.pausedBy())
                                && "gateway outage INC-7".equals(r.pauseReason())
                                && "running".equals(r.details().get("processing"))).isPresent());
                JsonNode pausedReady = json(get(admin.resolve("/health/ready"), null).body());
                assertThat(pausedReady.path("paused").asBoolean()).isTrue();
                assertThat(pausedReady.path("pausedBy").asText()).isEqualTo("it");
                assertThat(get(admin.resolve("/health/ready"), null).statusCode()).as("paused is not a failure")
                        .isEqualTo(200);

                for (int i = BEFORE; i < BEFORE + DURING; i++) {
                    publisher.publish(payments.request(i));
                }
                publisher.flush();
                await("the door keeps admitting while the fleet is paused").atMost(Duration.ofSeconds(30))
                        .until(() -> accepted.records().size() == BEFORE + DURING);

                assertThat(PaypipeCommand.commandLine().execute("resume", "--config", config.toString())).isZero();
                await("the pause is lifted in the heartbeat").atMost(Duration.ofSeconds(15))
                        .until(() -> ledgerReport(topics).filter(r -> !r.paused()).isPresent());
                assertThat(ledger.stop()).as("exit code after SIGTERM").isIn(0, 143);
            } catch (Throwable t) {
                System.out.println("ledger output:\n" + ledger.output());
                throw t;
            }
        }
    }

    private static Optional<StatusReport> ledgerReport(KafkaSettings topics) {
        return FleetStatus.read(topics, Instant.now(), Duration.ofSeconds(15)).live().stream()
                .filter(r -> r.role().equals("ledger")).findFirst();
    }

    private static JsonNode json(String body) throws Exception {
        return new ObjectMapper().readTree(body);
    }

    private static HttpResponse<String> get(URI uri, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
