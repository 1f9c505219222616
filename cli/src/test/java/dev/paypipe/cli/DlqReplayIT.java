package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.kafka.PaymentHeaders;
import dev.paypipe.kafka.PaymentPublisher;
import dev.paypipe.ledger.LedgerConfig;
import dev.paypipe.ledger.PaymentLedger;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.load.ResultCollector;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.persistence.DbWriter;
import dev.paypipe.persistence.DbWriterConfig;
import dev.paypipe.retry.RetryPolicy;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.OutageMode;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import dev.paypipe.testkit.PostgresDatabase;
import dev.paypipe.testkit.PostgresServer;
import dev.paypipe.worker.PaymentWorker;
import dev.paypipe.worker.WorkerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dead letters replayed after the gateway recovers, behind the ledger: payments that ended FAILED during an outage
 * are re-driven by {@code paypipe dlq replay}, each gets one more final result, none is charged twice, the
 * db-writer's precedence rule stores the replay's result over the FAILED one, and the replay keeps to {@code --rate}.
 */
@ExtendWith(PaypipeInfraExtension.class)
class DlqReplayIT {
    private static final int PAYMENTS = 12;
    private static final int RATE = 4;

    @Test
    void failedPaymentsReplayedAfterTheOutageEndSettledOnceEachAtTheGivenRate(KafkaBroker kafka, PostgresServer postgres,
            @TempDir Path dir) throws Exception {
        KafkaSettings topics = kafka.freshTopics(2);
        PostgresDatabase db = postgres.freshDatabase();
        String requests = topics.topics().requests();
        // Few enough calls (12 payments x 2 attempts) that the breaker's 50-call minimum never opens it.
        SimulatorConfig simConfig = SimulatorConfig.builder().latency(Duration.ZERO).declineRate(0.25).noFaults().build();
        PaymentFactory payments = new PaymentFactory("replay");
        try (GatewaySimulator sim = GatewaySimulator.start(simConfig);
                PaymentLedger ledger = new PaymentLedger(LedgerConfig.of(topics, dir.resolve("ledger")),
                        new SimpleMeterRegistry());
                ResultCollector results = ResultCollector.results(topics.bootstrapServers(), topics.topics().results());
                ResultCollector letters = ResultCollector.raw(topics.bootstrapServers(), topics.topics().requestsDlq());
                ResultCollector requestLog = ResultCollector.raw(topics.bootstrapServers(), requests);
                DbWriter writer = new DbWriter(DbWriterConfig.of(topics, db.jdbcUrl(), db.user(), db.password(), 2),
                        new SimpleMeterRegistry())) {
            writer.start();
            GatewayConfig gateway = new GatewayConfig(sim.baseUri(), SimulatorConfig.DEFAULT_API_KEY,
                    Duration.ofMillis(500), Duration.ofMillis(500), 16, 1);
            WorkerConfig config = WorkerConfig.of(topics, gateway).withIntake(WorkerConfig.Intake.LEDGER).withRetry(
                    new RetryPolicy(List.of(Duration.ofSeconds(1)), Duration.ofMillis(10), Duration.ofMillis(50), 2));
            ledger.start();
            ledger.awaitRunning(Duration.ofSeconds(60));
            sim.beginOutage(Duration.ofMinutes(10), OutageMode.UNAVAILABLE);
            try (PaymentWorker worker = new PaymentWorker(config, new SimpleMeterRegistry());
                    PaymentPublisher publisher = new PaymentPublisher(topics)) {
                worker.start();
                for (int i = 0; i < PAYMENTS; i++) {
                    publisher.publish(payments.request(i));
                }
                publisher.flush();

                // given: every payment FAILED (503s never reach the gateway's ledger) with a dead letter
                await().atMost(Duration.ofSeconds(60)).until(() -> results.payments() == PAYMENTS
                        && letters.records().size() == PAYMENTS);
                assertThat(results.latest()).extracting(PaymentResult::status).containsOnly(PaymentStatus.FAILED);
                assertThat(sim.ledger().totalCharges()).isZero();
                await().atMost(Duration.ofSeconds(30)).until(() -> statuses(db).getOrDefault("FAILED", 0L) == PAYMENTS);

                // when: the gateway recovers and the operator replays the dead letters
                sim.endOutage();
                assertThat(replayDeadLetters(topics, dir, RATE)).isZero();

                // then: one more final result per payment, settled by the gateway, never charged twice
                await().atMost(Duration.ofSeconds(60)).until(() -> IntStream.range(0, PAYMENTS)
                        .allMatch(i -> results.resultsFor(payments.paymentId(i)).size() >= 2));
                // Let every outcome the worker published reach the exit before counting results (a repeat must not pass).
                try (IntakeLag exitLag = new IntakeLag(topics.clientProperties(), topics.topics().outcomes(),
                        ledger.config().applicationId(), false)) {
                    await().atMost(Duration.ofSeconds(30)).during(Duration.ofSeconds(1))
                            .pollInterval(Duration.ofMillis(200)).until(() -> exitLag.lag() == 0);
                }
                List<String> wrong = new ArrayList<>();
                for (int i = 0; i < PAYMENTS; i++) {
                    List<PaymentResult> seen = results.resultsFor(payments.paymentId(i));
                    boolean ok = seen.size() == 2 && seen.get(0).status() == PaymentStatus.FAILED
                            && seen.get(1).status().isSettled() && seen.get(1).status() != PaymentStatus.FAILED
                            && seen.get(1).status() != PaymentStatus.REJECTED && seen.get(1).supersedes(seen.get(0));
                    if (!ok) {
                        wrong.add(payments.paymentId(i) + "=" + seen.stream().map(PaymentResult::status).toList());
                    }
                }
                assertThat(wrong).as("payments without exactly FAILED then one APPROVED/DECLINED").isEmpty();
                assertThat(sim.ledger().chargedTwice()).isZero();
                assertThat(sim.ledger().totalCharges()).as("each approved payment charged once, by its replay")
                        .isEqualTo(results.latest().stream().filter(r -> r.status() == PaymentStatus.APPROVED).count());
                assertThat(ledger.metrics().replaysAdmitted()).isEqualTo(PAYMENTS);
                assertThat(ledger.metrics().replaysRefused()).isZero();
                // The db-writer's SQL precedence rule takes the replay's APPROVED/DECLINED (3) over FAILED (2).
                await().atMost(Duration.ofSeconds(30)).until(() -> !statuses(db).containsKey("FAILED"));
                Map<String, Long> stored = statuses(db);
                assertThat(stored.getOrDefault("APPROVED", 0L) + stored.getOrDefault("DECLINED", 0L)).isEqualTo(PAYMENTS);
                assertThat(stored.getOrDefault("APPROVED", 0L)).isEqualTo(sim.ledger().totalCharges());
            }

            // and: the replay kept to --rate, measured on the replayed records' own Kafka timestamps
            List<Long> sentAt = requestLog.records().stream()
                    .filter(r -> r.headers().lastHeader(PaymentHeaders.REPLAYED_FROM) != null)
                    .map(ConsumerRecord::timestamp).sorted().toList();
            assertThat(sentAt).hasSize(PAYMENTS);
            // Timestamps are whole milliseconds: 1 ms of rounding allowed.
            long minimumSpanMs = (PAYMENTS - 1) * 1000L / RATE - 1;
            assertThat(sentAt.get(PAYMENTS - 1) - sentAt.get(0)).as("first to last replayed record at %d/s", RATE)
                    .isGreaterThanOrEqualTo(minimumSpanMs);
        }
    }

    @Test
    void anUnknownPaymentThatHadChargedIsAnsweredWithThatChargeOnReplayNotChargedAgain(KafkaBroker kafka,
            @TempDir Path dir) throws Exception {
        KafkaSettings topics = kafka.freshTopics(2);
        // The gateway charges, then never answers in time: with one attempt allowed, every payment ends UNKNOWN.
        SimulatorConfig hangsAfterCharging = SimulatorConfig.builder().latency(Duration.ZERO).declineRate(0.25)
                .noFaults().timeoutAfterChargeRate(1.0).hangTime(Duration.ofSeconds(2)).build();
        PaymentFactory payments = new PaymentFactory("replay-unknown");
        int n = 8;
        try (GatewaySimulator sim = GatewaySimulator.start(hangsAfterCharging);
                PaymentLedger ledger = new PaymentLedger(LedgerConfig.of(topics, dir.resolve("ledger")),
                        new SimpleMeterRegistry());
                ResultCollector results = ResultCollector.results(topics.bootstrapServers(), topics.topics().results());
                ResultCollector letters = ResultCollector.raw(topics.bootstrapServers(), topics.topics().requestsDlq())) {
            GatewayConfig gateway = new GatewayConfig(sim.baseUri(), SimulatorConfig.DEFAULT_API_KEY,
                    Duration.ofMillis(500), Duration.ofMillis(300), 16, 1);
            WorkerConfig config = WorkerConfig.of(topics, gateway).withIntake(WorkerConfig.Intake.LEDGER).withRetry(
                    new RetryPolicy(List.of(Duration.ofSeconds(1)), Duration.ofMillis(10), Duration.ofMillis(10), 1));
            ledger.start();
            ledger.awaitRunning(Duration.ofSeconds(60));
            try (PaymentWorker worker = new PaymentWorker(config, new SimpleMeterRegistry());
                    PaymentPublisher publisher = new PaymentPublisher(topics)) {
                worker.start();
                for (int i = 0; i < n; i++) {
                    publisher.publish(payments.request(i));
                }
                publisher.flush();
                await().atMost(Duration.ofSeconds(60)).until(() -> results.payments() == n && letters.records().size() == n);
                assertThat(results.latest()).extracting(PaymentResult::status).containsOnly(PaymentStatus.UNKNOWN);
                long charged = sim.ledger().totalCharges();
                assertThat(charged).as("the approved ones were charged").isPositive();

                sim.updateConfig(b -> b.noFaults()); // the gateway answers again
                assertThat(replayDeadLetters(topics, dir, 20)).isZero();

                await().atMost(Duration.ofSeconds(60)).until(() -> IntStream.range(0, n)
                        .allMatch(i -> results.resultsFor(payments.paymentId(i)).size() >= 2));
                try (IntakeLag exitLag = new IntakeLag(topics.clientProperties(), topics.topics().outcomes(),
                        ledger.config().applicationId(), false)) {
                    await().atMost(Duration.ofSeconds(30)).during(Duration.ofSeconds(1))
                            .pollInterval(Duration.ofMillis(200)).until(() -> exitLag.lag() == 0);
                }
                for (int i = 0; i < n; i++) {
                    assertThat(results.resultsFor(payments.paymentId(i))).extracting(PaymentResult::status)
                            .as(payments.paymentId(i)).hasSize(2).first().isEqualTo(PaymentStatus.UNKNOWN);
                    assertThat(results.resultsFor(payments.paymentId(i)).get(1).status())
                            .isIn(PaymentStatus.APPROVED, PaymentStatus.DECLINED);
                }
                assertThat(sim.ledger().totalCharges()).as("the replay got the first charge back").isEqualTo(charged);
                assertThat(results.latest().stream().filter(r -> r.status() == PaymentStatus.APPROVED).count())
                        .as("approved by replay = charged before it").isEqualTo(charged);
                assertThat(sim.ledger().chargedTwice()).isZero();
                assertThat(ledger.metrics().replaysAdmitted()).isEqualTo(n);
            }
        }
    }

    /** {@code paypipe dlq replay --rate R} in-process, configured by a properties file naming the broker and prefix. */
    private static int replayDeadLetters(KafkaSettings topics, Path dir, int rate) throws Exception {
        String requests = topics.topics().requests();
        String prefix = requests.substring(0, requests.length() - "payment-requests".length());
        Path properties = Files.writeString(dir.resolve("paypipe.properties"),
                "kafka.bootstrap-servers=" + topics.bootstrapServers() + "\nkafka.topic-prefix=" + prefix + "\n");
        return PaypipeCommand.commandLine().execute("dlq", "replay", "--config", properties.toString(), "--rate",
                Integer.toString(rate));
    }

    private static Map<String, Long> statuses(PostgresDatabase db) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            try (ResultSet exists = st.executeQuery("SELECT to_regclass('payment_results') IS NOT NULL")) {
                if (!exists.next() || !exists.getBoolean(1)) {
                    return out; // the db-writer has not run its migration yet
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT status, count(*) FROM payment_results GROUP BY status")) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }
}
