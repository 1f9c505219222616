package dev.paypipe.persistence;

import static dev.paypipe.persistence.Results.T0;
import static dev.paypipe.persistence.Results.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.control.ProcessInstance;
import dev.paypipe.control.StatusReport;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import dev.paypipe.testkit.PostgresDatabase;
import dev.paypipe.testkit.PostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An operator pause of the db-writer: fetched batches finish, nothing new is written until resume, also from start. */
@ExtendWith(PaypipeInfraExtension.class)
class DbWriterPauseIT {

    @Test
    void aPausedWriterWritesNothingNewUntilResumedAndOneStartedPausedStaysPaused(KafkaBroker kafka,
            PostgresServer postgres) throws Exception {
        KafkaSettings topics = kafka.freshTopics(2);
        PostgresDatabase db = postgres.freshDatabase();
        ProcessInstance instance = new ProcessInstance("db-writer-it", "db-writer", "host", Instant.now());
        try (ResultFeed feed = new ResultFeed(topics);
                DbWriter writer = new DbWriter(DbWriterConfig.of(topics, db.jdbcUrl(), db.user(), db.password(), 2),
                        new SimpleMeterRegistry());
                Connection c = db.connect()) {
            // given a writer paused before it starts (a fleet pause read at start-up)
            writer.controlTarget().pause("db maintenance", "it");
            writer.start();
            await("every consumer applied the pause").atMost(Duration.ofSeconds(10)).until(() ->
                    "stopped".equals(writer.statusSource(instance).status().details().get("fetching")));
            feed.publish(results("first", 100));

            await("nothing written while paused").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> ResultFeed.count(c, "") == 0);
            StatusReport paused = writer.statusSource(instance).status();
            assertThat(paused.paused()).isTrue();
            assertThat(paused.pausedBy()).isEqualTo("it");
            assertThat(paused.pauseReason()).isEqualTo("db maintenance");

            // when resumed, then paused again
            writer.controlTarget().resume();
            await().atMost(Duration.ofSeconds(30)).until(() -> ResultFeed.count(c, "") == 100);
            writer.controlTarget().pause("again", "it");
            await("every consumer applied the pause").atMost(Duration.ofSeconds(2)).until(() ->
                    "stopped".equals(writer.statusSource(instance).status().details().get("fetching")));
            feed.publish(results("second", 100));

            await("the second feed waits").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> ResultFeed.count(c, "") == 100);

            writer.controlTarget().resume();
            await().atMost(Duration.ofSeconds(30)).until(() -> ResultFeed.count(c, "") == 200);
            StatusReport running = writer.statusSource(instance).status();
            assertThat(running.paused()).isFalse();
            assertThat(running.details()).containsEntry("db", "ready").containsEntry("rowsWritten", "200");
        }
    }

    private static List<PaymentResult> results(String prefix, int n) {
        List<PaymentResult> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(result(prefix + "-" + i, PaymentStatus.APPROVED, T0.plusMillis(i)));
        }
        return out;
    }
}
