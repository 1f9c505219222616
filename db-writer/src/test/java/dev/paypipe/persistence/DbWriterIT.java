package dev.paypipe.persistence;

import static dev.paypipe.persistence.Results.T0;
import static dev.paypipe.persistence.Results.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.json.PaymentJson;
import dev.paypipe.kafka.PaymentHeaders;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import dev.paypipe.testkit.PostgresDatabase;
import dev.paypipe.testkit.PostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The db-writer end to end: real in-process Kafka broker, real PostgreSQL. */
@ExtendWith(PaypipeInfraExtension.class)
class DbWriterIT {
    private static final PaymentStatus[] SETTLED = {PaymentStatus.APPROVED, PaymentStatus.DECLINED,
        PaymentStatus.REJECTED, PaymentStatus.FAILED};

    private static Connection connect(PostgresDatabase db) {
        try {
            return db.connect();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void fiftyThousandResultsWithDuplicatesAndReorderingLeaveOneWinningRowPerPaymentOverAtMostTwoConnections(
            KafkaBroker kafka, PostgresServer postgres) throws Exception {
        // given 25,000 payments, each with one winning result and 25,000 losers spread among them:
        // exact re-deliveries, UNKNOWN results (some completed later than the winner) and older
        // results of the same status, all shuffled so that losers arrive before and after winners
        KafkaSettings topics = kafka.freshTopics(4);
        PostgresDatabase db = postgres.freshDatabase();
        Random random = new Random(42);
        int payments = 25_000;
        int total = 50_000;
        Map<String, PaymentResult> winners = new HashMap<>();
        List<PaymentResult> feed = new ArrayList<>(total);
        for (int i = 0; i < payments; i++) {
            String id = "pay-" + i;
            PaymentResult winner = result(id, SETTLED[random.nextInt(SETTLED.length)],
                    T0.plusMillis(random.nextInt(1_000_000)));
            winners.put(id, winner);
            feed.add(winner);
        }
        for (int i = payments; i < total; i++) {
            PaymentResult winner = winners.get("pay-" + random.nextInt(payments));
            PaymentResult loser = switch (random.nextInt(3)) {
                case 0 -> winner;
                case 1 -> result(winner.paymentId(), PaymentStatus.UNKNOWN,
                        winner.completedAt().plusSeconds(random.nextInt(600) - 300));
                default -> result(winner.paymentId(), winner.status(),
                        winner.completedAt().minusMillis(1 + random.nextInt(60_000)));
            };
            feed.add(loser);
        }
        Collections.shuffle(feed, random);

        try (ResultFeed producer = new ResultFeed(topics);
                ConnectionSampler sampler = new ConnectionSampler(() -> connect(db));
                DbWriter writer = new DbWriter(DbWriterConfig.of(topics, db.jdbcUrl(), db.user(), db.password(), 2),
                        new SimpleMeterRegistry())) {
            // when the db-writer with C = 2 ingests them
            writer.start();
            producer.publish(feed);

            // then, once every record is committed, every payment has exactly one row holding its winner
            try (Connection c = db.connect()) {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                        .until(() -> producer.allCommitted(DbWriterConfig.DEFAULT_GROUP_ID));
                Map<String, String> stored = new HashMap<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT payment_id, status, gateway_reference, completed_at FROM payment_results")) {
                    while (rs.next()) {
                        stored.put(rs.getString(1), rs.getString(2) + "|" + rs.getString(3) + "|"
                                + rs.getTimestamp(4).toInstant());
                    }
                }
                assertThat(stored).hasSize(payments);
                winners.forEach((id, w) -> assertThat(stored.get(id)).as(id)
                        .isEqualTo(w.status() + "|" + w.gatewayReference() + "|" + w.completedAt()));
                assertThat(writer.isReady()).isTrue();
            }
            // and the database never saw more than C connections from the db-writer
            assertThat(sampler.samples()).isGreaterThan(10);
            assertThat(sampler.maxSeen()).isBetween(1, 2);
        }
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicWithTheReasonAndAllOthersAreWritten(KafkaBroker kafka,
            PostgresServer postgres) throws Exception {
        KafkaSettings topics = kafka.freshTopics(2);
        PostgresDatabase db = postgres.freshDatabase();
        List<PaymentResult> good = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            good.add(result("good-" + i, PaymentStatus.APPROVED, T0.plusMillis(i)));
        }
        PaymentResult negative = Results.withAmount(result("negative-1", PaymentStatus.APPROVED, T0),
                new BigDecimal("-12.50"));
        PaymentResult tooLongId = result("x".repeat(80), PaymentStatus.DECLINED, T0);

        try (ResultFeed producer = new ResultFeed(topics);
                DbWriter writer = new DbWriter(DbWriterConfig.of(topics, db.jdbcUrl(), db.user(), db.password(), 2),
                        new SimpleMeterRegistry())) {
            producer.publish(good.subList(0, 150));
            producer.publishRaw("garbled-1", "{\"paymentId\": \"garbled-1\", \"status\": ");
            producer.publishRaw("no-status-1", "{\"paymentId\": \"no-status-1\", \"completedAt\": \"2025-03-01T10:00:00Z\"}");
            producer.publish(List.of(negative, tooLongId));
            producer.publish(good.subList(150, 300));

            writer.start();

            List<ConsumerRecord<String, byte[]>> dead = producer.readDeadLetters(4, Duration.ofSeconds(60));
            assertThat(dead).extracting(ConsumerRecord::key)
                    .containsExactlyInAnyOrder("garbled-1", "no-status-1", "negative-1", "x".repeat(80));
            Map<String, ConsumerRecord<String, byte[]>> byKey = new HashMap<>();
            dead.forEach(r -> byKey.put(r.key(), r));
            assertThat(reason(byKey.get("garbled-1"))).contains("undecodable").contains("malformed JSON");
            assertThat(header(byKey.get("garbled-1"), PaymentHeaders.ERROR_CLASS))
                    .isEqualTo("MalformedResultException");
            assertThat(reason(byKey.get("no-status-1"))).contains("status: required");
            assertThat(reason(byKey.get("negative-1"))).contains("rejected by the database").contains("23514")
                    .contains("amount");
            assertThat(header(byKey.get("negative-1"), PaymentHeaders.ERROR_CLASS)).isEqualTo("SQLState-23514");
            assertThat(reason(byKey.get("x".repeat(80)))).contains("22001");
            assertThat(byKey.get("negative-1").value()).isEqualTo(PaymentJson.encodeResult(negative));
            assertThat(header(byKey.get("negative-1"), PaymentHeaders.ORIGIN))
                    .matches(topics.topics().results() + "-[01]@\\d+");
            assertThat(java.time.Instant.parse(header(byKey.get("negative-1"), PaymentHeaders.DEAD_LETTERED_AT)))
                    .isBefore(java.time.Instant.now().plusSeconds(1));

            try (Connection c = db.connect()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> ResultFeed.count(c, "") == 300);
                assertThat(ResultFeed.count(c, " WHERE payment_id LIKE 'good-%' AND status = 'APPROVED'"))
                        .isEqualTo(300);
            }
        }
    }

    private static String reason(ConsumerRecord<String, byte[]> record) {
        return header(record, PaymentHeaders.ERROR_MESSAGE);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
