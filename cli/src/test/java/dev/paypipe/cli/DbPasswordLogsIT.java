package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paypipe.config.KafkaSettings;
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
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code paypipe db-writer} processes logging in as a role with a real password (the embedded PostgreSQL's own user
 * has none), once with {@code db.password} and once with the password as a JDBC URL parameter, with the production
 * logback.xml: they migrate, write rows and stop, their effective config names the JDBC URL with the password
 * masked, and no line they print contains the password (nor, so, a JDBC URL carrying it). The embedded server trusts
 * local connections, so it does not check the password: what this proves is that paypipe never prints it.
 */
@ExtendWith(PaypipeInfraExtension.class)
class DbPasswordLogsIT {
    private static final int RESULTS = 30;

    @Test
    void aDbWriterWithARealPasswordNeverPrintsIt(KafkaBroker kafka, PostgresServer postgres, @TempDir Path dir)
            throws Exception {
        PostgresDatabase db = postgres.freshDatabase();
        String role = "paypipe_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String password = "pw-" + UUID.randomUUID().toString().replace("-", "");
        try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
            s.execute("GRANT ALL ON DATABASE \"" + db.name() + "\" TO " + role);
            s.execute("GRANT ALL ON SCHEMA public TO " + role);
        }
        URL logback = getClass().getClassLoader().getResource("logback.xml");
        assertThat(logback).as("production logback.xml").isNotNull();
        String separator = db.jdbcUrl().contains("?") ? "&" : "?";

        runAndCheck(kafka.freshTopics(2), dir, db, role, password, "db-password",
                db.jdbcUrl(), password, "jdbcUrl=" + db.jdbcUrl() + ",", logback);
        runAndCheck(kafka.freshTopics(2), dir, db, role, password, "url-password",
                db.jdbcUrl() + separator + "password=" + password, "",
                "jdbcUrl=" + db.jdbcUrl() + separator + "password=****,", logback);
    }

    private static void runAndCheck(KafkaSettings topics, Path dir, PostgresDatabase db, String role, String password,
            String name, String jdbcUrl, String dbPassword, String loggedUrl, URL logback) throws Exception {
        int port = Ports.free();
        ProcessEnv env = ProcessEnv.worker(topics, URI.create("http://127.0.0.1:1"), "unused")
                .with("db.jdbc-url", jdbcUrl).with("db.user", role).with("db.password", dbPassword)
                .with("db-writer.group-id", "it-db-writer-" + name + "-" + port)
                .with("admin.port", Integer.toString(port));
        URI admin = URI.create("http://127.0.0.1:" + port);
        String output;
        try (ChildJvm writer = ChildJvm.start(dir, "db-writer-" + name, env.toMap(),
                List.of("-Dlogback.configurationFile=" + logback), "db-writer");
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(topics.producerProperties("it-" + name),
                        new StringSerializer(), new ByteArraySerializer());
                Connection c = db.connect()) {
            try {
                await(name + ": ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .ignoreExceptions().until(() -> {
                            assertThat(writer.isAlive()).as("db-writer alive:%n%s", writer.output()).isTrue();
                            return status(admin.resolve("/health/ready")) == 200;
                        });
                send(producer, topics, name, RESULTS);
                await(name + ": written as " + role).atMost(Duration.ofSeconds(30))
                        .until(() -> rows(c, name + "-%") == RESULTS);
                assertThat(writer.stop()).as("exit code after SIGTERM").isIn(0, 143);
                output = writer.output();
            } catch (Throwable t) {
                System.out.println("db-writer output:\n" + writer.output());
                throw t;
            }
        }
        ObjectMapper json = new ObjectMapper();
        String[] lines = output.split("\n");
        assertThat(lines.length).as("%s printed its start-up lines", name).isGreaterThan(3);
        assertThat(output).as("%s logged its effective config, the URL masked", name).contains("db_writer_started")
                .contains(loggedUrl);
        for (String line : lines) {
            JsonNode node = json.readTree(line);
            assertThat(node.isObject()).as("a JSON object: %s", line).isTrue();
            assertThat(line).as("%s: the database password on a log line", name).doesNotContain(password);
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

    private static long rows(Connection c, String like) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*) FROM payment_results WHERE payment_id LIKE '" + like + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int status(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
