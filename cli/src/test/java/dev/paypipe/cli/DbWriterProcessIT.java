package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.control.FleetStatus;
import dev.paypipe.json.PaymentJson;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import dev.paypipe.testkit.PostgresDatabase;
import dev.paypipe.testkit.PostgresServer;
import dev.paypipe.testkit.Ports;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code paypipe db-writer} as a process: ready only with Kafka and the database up (both named in
 * {@code /health/ready}), Hikari meters on {@code /metrics}, and a fleet pause holds its writes until
 * {@code paypipe resume}.
 */
@ExtendWith(PaypipeInfraExtension.class)
class DbWriterProcessIT {

    @Test
    void theDbWriterProcessReportsBothChecksServesHikariMetersAndFollowsAFleetPause(KafkaBroker kafka,
            PostgresServer postgres, @TempDir Path dir) throws Exception {
        KafkaSettings topics = kafka.freshTopics(2);
        PostgresDatabase db = postgres.freshDatabase();
        Path config = dir.resolve("operator.properties");
        Files.writeString(config, "kafka.bootstrap-servers=" + topics.bootstrapServers() + "\nkafka.topic-prefix="
                + ProcessEnv.prefix(topics) + "\n");
        int port = Ports.free();
        ProcessEnv env = ProcessEnv.worker(topics, URI.create("http://127.0.0.1:1"), "unused")
                .with("db.jdbc-url", db.jdbcUrl()).with("db.user", db.user()).with("db.password", db.password())
                .with("db-writer.group-id", "it-db-writer-" + port).with("admin.port", Integer.toString(port));
        URI admin = URI.create("http://127.0.0.1:" + port);

        try (ChildJvm writer = ChildJvm.start(dir, "db-writer", env.toMap(), "db-writer");
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(topics.producerProperties("it-results"),
                        new StringSerializer(), new ByteArraySerializer());
                Connection c = db.connect()) {
            try {
                await("ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .ignoreExceptions().until(() -> get(admin.resolve("/health/ready")).statusCode() == 200);
                JsonNode ready = new ObjectMapper().readTree(get(admin.resolve("/health/ready")).body());
                assertThat(ready.at("/checks/kafka/status").asText()).isEqualTo("UP");
                assertThat(ready.at("/checks/database/status").asText()).isEqualTo("UP");
                assertThat(get(admin.resolve("/metrics")).body()).contains("hikaricp_connections_max")
                        .contains("paypipe_db_ready").containsPattern("paypipe_consumer_lag\\{.*client=\"db-writer-0\"");

                send(producer, topics, "before", 50);
                await("written").atMost(Duration.ofSeconds(30)).until(() -> rows(c) == 50);

                assertThat(PaypipeCommand.commandLine().execute("pause", "--config", config.toString(), "--reason",
                        "db maintenance", "--by", "it")).isZero();
                await("db-writer reports paused, every consumer stopped").atMost(Duration.ofSeconds(15)).until(() ->
                        FleetStatus.read(topics, Instant.now(), Duration.ofSeconds(15)).live().stream()
                                .anyMatch(r -> r.role().equals("db-writer") && r.paused() && "it".equals(r.pausedBy())
                                        && "stopped".equals(r.details().get("fetching"))));
                send(producer, topics, "during", 50);
                await("nothing written while paused").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                        .until(() -> rows(c) == 50);
                assertThat(get(admin.resolve("/health/ready")).statusCode()).as("paused is not a failure")
                        .isEqualTo(200);

                assertThat(PaypipeCommand.commandLine().execute("resume", "--config", config.toString())).isZero();
                await("written after resume").atMost(Duration.ofSeconds(30)).until(() -> rows(c) == 100);
            } catch (Throwable t) {
                System.out.println("db-writer output:\n" + writer.output());
                throw t;
            }
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, KafkaSettings topics, String prefix, int n) {
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i;
            PaymentResult result = new PaymentResult(id, "order-" + id, PaymentStatus.APPROVED, new BigDecimal("12.50"),
                    "EUR", "ch_" + id, null, null, null, 1, now.minusSeconds(1), now);
            producer.send(new ProducerRecord<>(topics.topics().results(), id, PaymentJson.encodeResult(result)));
        }
        producer.flush();
    }

    private static long rows(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM payment_results")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
