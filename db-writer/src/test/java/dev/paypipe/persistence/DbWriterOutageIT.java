package dev.paypipe.persistence;

import static dev.paypipe.persistence.Results.T0;
import static dev.paypipe.persistence.Results.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.testkit.EmbeddedPostgresServer;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import dev.paypipe.testkit.PostgresDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** PostgreSQL stopped for 10 s in the middle of a stream: the db-writer waits, reports not-ready, loses nothing. */
@ExtendWith(PaypipeInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DbWriterOutageIT {
    private EmbeddedPostgresServer postgres;

    @BeforeAll
    void startDedicatedPostgres() {
        postgres = EmbeddedPostgresServer.start(); // this test stops it; the shared server must stay up
    }

    @AfterAll
    void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static List<PaymentResult> results(String prefix, int count) {
        List<PaymentResult> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            results.add(result(prefix + i, PaymentStatus.APPROVED, T0.plusMillis(i)));
        }
        return results;
    }

    private long rows(PostgresDatabase db) {
        try (Connection c = db.connect()) {
            return ResultFeed.count(c, "");
        } catch (SQLException e) {
            return -1;
        }
    }

    @Test
    void databaseStoppedForTenSecondsMidStreamLosesNothingAndTheWriterRecoversByItself(KafkaBroker kafka)
            throws Exception {
        KafkaSettings topics = kafka.freshTopics(2);
        PostgresDatabase db = postgres.freshDatabase();
        DbWriterConfig config = DbWriterConfig.of(topics, db.jdbcUrl(), db.user(), db.password(), 2)
                .withMaxPollRecords(500)
                .withRetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .withConnectionTimeout(Duration.ofSeconds(1));
        List<PaymentResult> beforeOutage = results("before-", 20_000);
        List<PaymentResult> duringOutage = results("during-", 20_000);

        try (ResultFeed producer = new ResultFeed(topics);
                DbWriter writer = new DbWriter(config, new SimpleMeterRegistry())) {
            writer.start();
            producer.publish(beforeOutage);

            // the database goes away while the first results are being written
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                    .until(() -> writer.rowsWritten() > 0);
            postgres.stop();
            long writtenAtStop = writer.rowsWritten();
            producer.publish(duringOutage);

            await().atMost(Duration.ofSeconds(10)).until(() -> !writer.isReady());
            // stays down for 10 s; the writer must stay not-ready and write nothing all that time
            await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(12))
                    .until(() -> !writer.isReady() && writer.rowsWritten() == writtenAtStop);
            postgres.restart();

            int total = beforeOutage.size() + duringOutage.size();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> rows(db) == total);
            await().atMost(Duration.ofSeconds(15)).until(writer::isReady);
            assertThat(writtenAtStop).isLessThan(total);
        }
        assertThat(rows(db)).isEqualTo(40_000);
    }
}
