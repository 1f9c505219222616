package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.control.FleetStatus;
import dev.paypipe.control.StatusReport;
import dev.paypipe.kafka.PaymentPublisher;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.load.ResultCollector;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
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
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's fleet pause, end to end: two {@code paypipe worker} processes charging a simulator over
 * HTTP; {@code paypipe pause} stops every charge call within a second; a worker restarted during the
 * pause comes up paused and the rebalance it causes un-pauses no one; {@code paypipe resume} and both
 * charge again; every payment ends with one final result and none is charged twice. Each worker's
 * {@code /metrics} serves the payment meters in Prometheus format.
 */
@ExtendWith(PaypipeInfraExtension.class)
class FleetPauseIT {
    private static final int PAYMENTS = 2_000;
    private static final Duration PAUSE_BOUND = Duration.ofSeconds(1);

    @Test
    void pauseStopsEveryWorkerWithinASecondSurvivesARestartAndResumeFinishesEveryPayment(KafkaBroker kafka,
            @TempDir Path dir) throws Exception {
        KafkaSettings topics = kafka.freshTopics(4);
        Path config = dir.resolve("operator.properties");
        Files.writeString(config, "kafka.bootstrap-servers=" + topics.bootstrapServers() + "\nkafka.topic-prefix="
                + ProcessEnv.prefix(topics) + "\n");
        PaymentFactory payments = new PaymentFactory("fleet");
        // 8 calls of 50 ms per worker: ~160 charges/s each, so the run is still charging when it is paused.
        try (GatewaySimulator sim = GatewaySimulator.start(SimulatorConfig.builder().latency(Duration.ofMillis(50)).build());
                ResultCollector results = ResultCollector.results(topics.bootstrapServers(), topics.topics().results());
                PaymentPublisher publisher = new PaymentPublisher(topics);
                Admin admin = Admin.create(topics.clientProperties())) {
            ProcessEnv env = ProcessEnv.worker(topics, sim.baseUri(), SimulatorConfig.DEFAULT_API_KEY)
                    .with("worker.max-in-flight", "8").with("worker.max-poll-records", "50");
            String group = env.get("worker.group-id");
            int portA = Ports.free();
            int portB = Ports.free();
            ChildJvm a = ChildJvm.start(dir, "worker-a", env.with("admin.port", Integer.toString(portA)).toMap(), "worker");
            ChildJvm b = ChildJvm.start(dir, "worker-b", env.with("admin.port", Integer.toString(portB)).toMap(), "worker");
            try {
                for (int i = 0; i < PAYMENTS; i++) {
                    publisher.publish(payments.request(i));
                }
                publisher.flush();
                awaitGroup(admin, group, 2, a, b);
                await("charging").atMost(Duration.ofSeconds(60)).until(() -> sim.stats().chargeCalls() >= 100);

                // when: the fleet is paused while both are charging
                assertThat(paypipe("pause", "--config", config.toString(), "--reason", "maintenance", "--by", "it"))
                        .isZero();
                long pausedAt = System.nanoTime();

                // then: the simulator's charge count stops moving within 1 s
                ChargeWatch watch = new ChargeWatch(sim);
                await("charges stop").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                        .until(() -> watch.stableFor(Duration.ofSeconds(2)));
                assertThat(Duration.ofNanos(watch.lastChangeNanos() - pausedAt)).as("last charge call after the pause")
                        .isLessThanOrEqualTo(PAUSE_BOUND);
                long chargesWhilePaused = sim.stats().chargeCalls();
                assertThat(results.payments()).as("payments unfinished at the pause").isLessThan(PAYMENTS);
                await("both report paused").atMost(Duration.ofSeconds(15)).until(() -> liveWorkers(topics).stream()
                        .filter(r -> r.paused() && "it".equals(r.pausedBy()) && "maintenance".equals(r.pauseReason()))
                        .count() == 2);

                // when: one worker restarts during the pause
                a.stop();
                a = ChildJvm.start(dir, "worker-a2", env.with("admin.port", Integer.toString(portA)).toMap(), "worker");
                awaitGroup(admin, group, 2, a, b);

                // then: it comes up paused, the rebalance un-pauses no one, no charge is made
                await("restarted worker reports paused").atMost(Duration.ofSeconds(20)).until(() -> liveWorkers(topics)
                        .stream().filter(r -> r.paused()).count() >= 2 && startedAfter(liveWorkers(topics), pausedAt));
                ChargeWatch afterRestart = new ChargeWatch(sim);
                await("still no charges").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> afterRestart.stableFor(Duration.ofSeconds(3)));
                assertThat(sim.stats().chargeCalls()).as("charge calls during the pause and the restart")
                        .isEqualTo(chargesWhilePaused);

                // when: the fleet resumes
                long chargesOfA = meter(portA, "paypipe_gateway_charge_calls_total");
                long chargesOfB = meter(portB, "paypipe_gateway_charge_calls_total");
                assertThat(paypipe("resume", "--config", config.toString(), "--by", "it")).isZero();

                // then: both charge again and every payment ends, once charged
                await("both charge again").atMost(Duration.ofSeconds(30)).until(() ->
                        meter(portA, "paypipe_gateway_charge_calls_total") > chargesOfA
                                && meter(portB, "paypipe_gateway_charge_calls_total") > chargesOfB);
                await("every payment final").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                        .until(() -> results.payments() == PAYMENTS);
                assertThat(results.latest()).extracting(r -> r.status()).containsOnly(PaymentStatus.APPROVED);
                assertThat(sim.ledger().chargedTwice()).isZero();
                assertThat(sim.ledger().keys()).isEqualTo(PAYMENTS);

                String metrics = scrape(portB);
                assertThat(metrics).contains("# TYPE paypipe_results_total counter")
                        .containsPattern("paypipe_gateway_latency_seconds\\{.*quantile=\"0.99\".*\\} [0-9]")
                        .containsPattern("paypipe_results_total\\{.*status=\"APPROVED\".*\\} [1-9]")
                        .contains("paypipe_worker_in_flight").containsPattern("paypipe_consumer_lag\\{.*client=\"worker-main\"")
                        .contains("resilience4j_circuitbreaker_state").contains("paypipe_gateway_auth_failures_total")
                        .contains("jvm_memory_used_bytes");
            } catch (Throwable t) {
                System.out.println("worker a:\n" + a.output() + "\nworker b:\n" + b.output());
                throw t;
            } finally {
                a.close();
                b.close();
            }
        }
    }

    private static int paypipe(String... args) {
        return PaypipeCommand.commandLine().execute(args);
    }

    /** Waits until the group is stable with {@code members} consumers that all own partitions. */
    private static void awaitGroup(Admin admin, String group, int members, ChildJvm... processes) {
        await("group " + group + " stable with " + members + " members").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    for (ChildJvm p : processes) {
                        assertThat(p.isAlive()).as("worker alive; its output:%n%s", p.output()).isTrue();
                    }
                    ConsumerGroupDescription d;
                    try {
                        d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                    } catch (ExecutionException notYetCreated) {
                        return false;
                    }
                    return d.groupState() == GroupState.STABLE && d.members().size() == members
                            && d.members().stream().map(MemberDescription::assignment)
                                    .allMatch(as -> !as.topicPartitions().isEmpty());
                });
    }

    private static List<StatusReport> liveWorkers(KafkaSettings topics) {
        return FleetStatus.read(topics, Instant.now(), Duration.ofSeconds(15)).live().stream()
                .filter(r -> r.role().equals("payment-worker")).toList();
    }

    private static boolean startedAfter(List<StatusReport> reports, long pausedAtNanos) {
        Instant pausedAt = Instant.now().minusNanos(System.nanoTime() - pausedAtNanos);
        return reports.stream().anyMatch(r -> r.paused() && r.startedAt().isAfter(pausedAt));
    }

    /** Sum of a Prometheus counter's samples on a worker's {@code /metrics}. */
    private static long meter(int port, String name) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.Ee+-]+)$").matcher(scrape(port));
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
        }
        return (long) sum;
    }

    private static String scrape(int port) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    /** The simulator's charge count as polled: when it last moved, and whether it has held still long enough. */
    private static final class ChargeWatch {
        private final GatewaySimulator sim;
        private long last = -1;
        private long lastChangeNanos;

        ChargeWatch(GatewaySimulator sim) {
            this.sim = sim;
        }

        synchronized boolean stableFor(Duration quiet) {
            long now = System.nanoTime();
            long calls = sim.stats().chargeCalls();
            if (calls != last) {
                last = calls;
                lastChangeNanos = now;
            }
            return now - lastChangeNanos >= quiet.toNanos();
        }

        synchronized long lastChangeNanos() {
            return lastChangeNanos;
        }
    }
}
