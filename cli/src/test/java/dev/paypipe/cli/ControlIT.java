package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paypipe.admin.AdminConfig;
import dev.paypipe.admin.ProcessOperations;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.control.BreakerMode;
import dev.paypipe.control.ControlFollower;
import dev.paypipe.control.ControlPublisher;
import dev.paypipe.control.ControlTarget;
import dev.paypipe.control.FleetStatus;
import dev.paypipe.control.ProcessInstance;
import dev.paypipe.control.StatusHeartbeat;
import dev.paypipe.control.StatusReport;
import dev.paypipe.control.StatusSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code paypipe pause}, {@code resume} and {@code breaker} on a real broker, as followers in running processes see them. */
@ExtendWith(PaypipeInfraExtension.class)
class ControlIT {

    @Test
    void pauseReachesARunningFollowerWithinASecondAndAFollowerStartedLaterComesUpPaused(KafkaBroker kafka,
            @TempDir Path dir) throws Exception {
        KafkaSettings topics = kafka.freshTopics(1);
        Path config = config(dir, topics);
        FakeWorker running = new FakeWorker();

        try (ControlFollower first = new ControlFollower(topics, running)) {
            first.start();
            assertThat(first.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            assertThat(running.paused.get()).isNull();

            assertThat(paypipe("pause", "--config", config.toString(), "--reason", "gateway outage INC-42",
                    "--by", "alice")).isZero();
            await().atMost(Duration.ofSeconds(1)).until(() -> "gateway outage INC-42/alice".equals(running.paused.get()));

            FakeWorker restarted = new FakeWorker();
            try (ControlFollower later = new ControlFollower(topics, restarted)) {
                later.start();
                assertThat(later.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                assertThat(restarted.paused.get()).as("paused before it could fetch").isEqualTo("gateway outage INC-42/alice");
                assertThat(later.state().pausedBy()).isEqualTo("alice");

                assertThat(paypipe("breaker", "force-open", "--config", config.toString())).isZero();
                assertThat(paypipe("resume", "--config", config.toString(), "--by", "bob")).isZero();
                await().atMost(Duration.ofSeconds(1)).until(() -> running.paused.get() == null
                        && restarted.paused.get() == null);
                await().atMost(Duration.ofSeconds(1)).until(() -> restarted.breaker.get() == BreakerMode.FORCE_OPEN
                        && running.breaker.get() == BreakerMode.FORCE_OPEN);
            }
        }
    }

    @Test
    void statusListsLiveProcessesFromTheirHeartbeatsAndForgetsOneThatStops(KafkaBroker kafka) {
        KafkaSettings topics = kafka.freshTopics(1);
        StatusReport report = new StatusReport("worker-7", "payment-worker", "host-a", Instant.now(), Instant.now(), false,
                null, null, "CLOSED", 4, Map.of(topics.topics().accepted() + "-0", 12L), Map.of("30s", 3L), Map.of());

        try (ControlPublisher publisher = new ControlPublisher(topics, Clock.systemUTC())) {
            StatusHeartbeat heartbeat = new StatusHeartbeat(publisher, () -> report, Clock.systemUTC(), Duration.ofMillis(200));
            await().atMost(Duration.ofSeconds(10)).until(() -> FleetStatus.read(topics, Instant.now(), Duration.ofSeconds(15))
                    .live().stream().anyMatch(r -> r.instanceId().equals("worker-7") && r.totalLag() == 12));

            heartbeat.close();
            assertThat(FleetStatus.read(topics, Instant.now(), Duration.ofSeconds(15)).live()).isEmpty();
        }
    }

    @Test
    void anAdminPauseOnOneProcessPausesTheFleetThroughTheControlTopic(KafkaBroker kafka) throws Exception {
        KafkaSettings topics = kafka.freshTopics(1);
        String token = "it-admin-token-0123456789abcdef";
        FakeWorker worker = new FakeWorker();
        FakeWorker other = new FakeWorker();
        ProcessInstance instance = new ProcessInstance("worker-a", "payment-worker", "host-a", Instant.now());
        StatusSource status = () -> instance.report(Instant.now(), worker.paused.get() != null, null, worker.paused.get(),
                "CLOSED", 0, Map.of(), Map.of(), Map.of());

        try (ProcessOperations ops = ProcessOperations.builder(topics, instance, worker, status)
                        .admin(AdminConfig.local(token)).heartbeatInterval(Duration.ofMillis(200)).start();
                ControlFollower otherProcess = new ControlFollower(topics, other)) {
            otherProcess.start();
            assertThat(otherProcess.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            URI pause = URI.create(ops.admin().orElseThrow().baseUri() + "/admin/pause?reason=INC-9&by=carol");

            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(pause)
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(1)).until(() -> "INC-9/carol".equals(worker.paused.get())
                    && "INC-9/carol".equals(other.paused.get()));
            assertThat(ops.orders().pausedBy()).isEqualTo("carol");
            await().atMost(Duration.ofSeconds(10)).until(() -> FleetStatus.read(topics, Instant.now(), Duration.ofSeconds(15))
                    .live().stream().anyMatch(r -> r.instanceId().equals("worker-a") && r.paused()));
        }
        assertThat(FleetStatus.read(topics, Instant.now(), Duration.ofSeconds(15)).live()).isEmpty();
    }

    private static int paypipe(String... args) {
        return PaypipeCommand.commandLine().execute(args);
    }

    private static Path config(Path dir, KafkaSettings topics) throws Exception {
        String prefix = topics.topics().requests().substring(0, topics.topics().requests().length() - "payment-requests".length());
        Path file = dir.resolve("paypipe.properties");
        Files.writeString(file, "kafka.bootstrap-servers=" + topics.bootstrapServers() + "\nkafka.topic-prefix=" + prefix + "\n");
        return file;
    }

    /** What a worker's control hooks would record: the current pause as {@code reason/by}, and the breaker mode. */
    static final class FakeWorker implements ControlTarget {
        final AtomicReference<String> paused = new AtomicReference<>();
        final AtomicReference<BreakerMode> breaker = new AtomicReference<>(BreakerMode.AUTO);

        @Override
        public void pause(String reason, String by) {
            paused.set(reason + "/" + by);
        }

        @Override
        public void resume() {
            paused.set(null);
        }

        @Override
        public void breaker(BreakerMode mode) {
            breaker.set(mode);
        }
    }
}
