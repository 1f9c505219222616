package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.gateway.HttpPaymentGateway;
import dev.paypipe.gateway.GatewayOutcome;
import dev.paypipe.json.PaymentJson;
import dev.paypipe.kafka.PaymentHeaders;
import dev.paypipe.kafka.PaymentPublisher;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.model.PaymentRequest;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.persistence.DbWriter;
import dev.paypipe.persistence.DbWriterConfig;
import dev.paypipe.processing.PaymentProcessor;
import dev.paypipe.reconcile.Reconciler;
import dev.paypipe.retry.RetryPolicy;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import dev.paypipe.testkit.PostgresDatabase;
import dev.paypipe.testkit.PostgresServer;
import dev.paypipe.worker.PaymentWorker;
import dev.paypipe.worker.RetryHeaders;
import dev.paypipe.worker.WorkerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * UNKNOWN payments are settled by {@code paypipe reconcile}, down to the database: those the gateway charged
 * (every answer timed out) by their look-up, those it never charged by a re-drive through the worker.
 */
@ExtendWith(PaypipeInfraExtension.class)
class ReconcileIT {

    @Test
    void reconcileSettlesUnknownPaymentsAndTheDbWriterAcceptsThemOverUnknown(KafkaBroker kafka, PostgresServer postgres)
            throws Exception {
        KafkaSettings topics = kafka.freshTopics(2);
        PostgresDatabase db = postgres.freshDatabase();
        // The gateway charges, then never answers in time: with one attempt allowed, every payment ends UNKNOWN.
        SimulatorConfig hangsAfterCharging = SimulatorConfig.builder().latency(Duration.ZERO).declineRate(0.25).noFaults()
                .timeoutAfterChargeRate(1.0).hangTime(Duration.ofSeconds(2)).build();
        PaymentFactory payments = new PaymentFactory("rec");
        try (GatewaySimulator sim = GatewaySimulator.start(hangsAfterCharging);
                DbWriter writer = new DbWriter(DbWriterConfig.of(topics, db.jdbcUrl(), db.user(), db.password(), 2),
                        new SimpleMeterRegistry())) {
            GatewayConfig gateway = new GatewayConfig(sim.baseUri(), SimulatorConfig.DEFAULT_API_KEY,
                    Duration.ofMillis(500), Duration.ofMillis(300), 64, 1);
            WorkerConfig config = WorkerConfig.of(topics, gateway).withRetry(
                    new RetryPolicy(List.of(Duration.ofSeconds(1)), Duration.ofMillis(10), Duration.ofMillis(10), 1));
            writer.start();
            try (PaymentWorker worker = new PaymentWorker(config, new SimpleMeterRegistry());
                    PaymentPublisher publisher = new PaymentPublisher(topics)) {
                worker.start();
                for (int i = 0; i < 40; i++) {
                    publisher.publish(payments.request(i));
                }
                publisher.flush();
                await().atMost(Duration.ofSeconds(60)).until(() -> statuses(db).getOrDefault("UNKNOWN", 0L) == 40);
            }

            Reconciler.Report report = reconcile(topics, gateway, config);

            assertThat(report.unknown()).isEqualTo(40);
            assertThat(report.approved() + report.declined()).isEqualTo(40);
            assertThat(report.redriven()).isZero();
            assertThat(report.declined()).isPositive();
            await().atMost(Duration.ofSeconds(30)).until(() -> !statuses(db).containsKey("UNKNOWN"));
            Map<String, Long> settled = statuses(db);
            assertThat(settled.get("APPROVED")).isEqualTo(report.approved());
            assertThat(settled.get("DECLINED")).isEqualTo(report.declined());
            assertThat(sim.ledger().chargedTwice()).isZero();
            assertThat(sim.stats().chargeCalls()).isEqualTo(40);
        }
    }

    @Test
    void aPaymentThatNeverReachedTheGatewaysLedgerIsRedrivenByReconcileAndEndsSettled(KafkaBroker kafka,
            PostgresServer postgres) throws Exception {
        KafkaSettings topics = kafka.freshTopics(2);
        PostgresDatabase db = postgres.freshDatabase();
        // Every charge is swallowed before charging and answered too late: each attempt is ambiguous, each
        // look-up finds nothing, and with two attempts allowed every payment ends UNKNOWN.
        SimulatorConfig swallowsEveryCharge = SimulatorConfig.builder().latency(Duration.ZERO).declineRate(0.25)
                .noFaults().timeoutBeforeChargeRate(1.0).hangTime(Duration.ofSeconds(2)).build();
        PaymentFactory payments = new PaymentFactory("redrive");
        int n = 20;
        try (GatewaySimulator sim = GatewaySimulator.start(swallowsEveryCharge);
                DbWriter writer = new DbWriter(DbWriterConfig.of(topics, db.jdbcUrl(), db.user(), db.password(), 2),
                        new SimpleMeterRegistry())) {
            GatewayConfig gateway = new GatewayConfig(sim.baseUri(), SimulatorConfig.DEFAULT_API_KEY,
                    Duration.ofMillis(500), Duration.ofMillis(300), 64, 1);
            WorkerConfig config = WorkerConfig.of(topics, gateway).withRetry(
                    new RetryPolicy(List.of(Duration.ofSeconds(1)), Duration.ofMillis(10), Duration.ofMillis(10), 2));
            writer.start();
            try (PaymentWorker worker = new PaymentWorker(config, new SimpleMeterRegistry());
                    PaymentPublisher publisher = new PaymentPublisher(topics)) {
                worker.start();
                for (int i = 0; i < n; i++) {
                    publisher.publish(payments.request(i));
                }
                publisher.flush();
                await().atMost(Duration.ofSeconds(60)).until(() -> statuses(db).getOrDefault("UNKNOWN", 0L) == n);
                assertThat(sim.ledger().totalCharges()).as("nothing reached the gateway's ledger").isZero();
                assertThat(sim.stats().lookupCalls()).as("the worker looked each one up before its 2nd attempt")
                        .isGreaterThanOrEqualTo(n);

                sim.updateConfig(b -> b.noFaults()); // the gateway recovers
                Reconciler.Report report = reconcile(topics, gateway, config);

                assertThat(report.unknown()).isEqualTo(n);
                assertThat(report.redriven()).as("no charge found after the deadline: re-driven").isEqualTo(n);
                assertThat(report.approved() + report.declined()).isZero();
                assertThat(report.requestsMissing()).isZero();
                List<ConsumerRecord<String, byte[]>> redrives = readAll(topics,
                        topics.topics().retryTier(Duration.ofSeconds(1))).stream()
                        .filter(r -> r.headers().lastHeader(RetryHeaders.REDRIVEN_BY) != null).toList();
                assertThat(redrives).as("one re-drive per payment, with a fresh budget").hasSize(n).allSatisfy(r -> {
                    assertThat(PaymentHeaders.string(r.headers(), RetryHeaders.REDRIVEN_BY)).isEqualTo("reconcile");
                    assertThat(PaymentHeaders.string(r.headers(), RetryHeaders.PRIOR_ATTEMPTS)).isEqualTo("2");
                    assertThat(PaymentHeaders.string(r.headers(), PaymentHeaders.ATTEMPT)).isEqualTo("0");
                    assertThat(PaymentHeaders.string(r.headers(), PaymentHeaders.AMBIGUOUS)).isEqualTo("false");
                    assertThat(PaymentHeaders.string(r.headers(), PaymentHeaders.ERROR_CLASS)).isNull();
                    assertThat(PaymentHeaders.string(r.headers(), PaymentHeaders.ORIGIN))
                            .startsWith(topics.topics().requests());
                });
                await().atMost(Duration.ofSeconds(60)).until(() -> !statuses(db).containsKey("UNKNOWN"));
            }
            Map<String, Long> settled = statuses(db);
            assertThat(settled.getOrDefault("APPROVED", 0L) + settled.getOrDefault("DECLINED", 0L)).isEqualTo(n);
            assertThat(settled.get("DECLINED")).as("declined by the gateway's own rule, not failed").isPositive();
            assertThat(sim.ledger().totalCharges()).as("each approved payment charged once, by the re-drive")
                    .isEqualTo(settled.get("APPROVED"));
            assertThat(sim.ledger().chargedTwice()).isZero();
            assertThat(sim.stats().chargeCalls()).as("two swallowed attempts per payment, then one re-driven charge")
                    .isEqualTo(3L * n);
        }
    }

    @Test
    void behindTheLedgerSettledResultsGoToOutcomesAndWhatCannotBeDecidedStaysUnknownWithTheReason(KafkaBroker kafka)
            throws Exception {
        KafkaSettings topics = kafka.freshTopics(2);
        PaymentFactory payments = new PaymentFactory("ledger-rec");
        PaymentRequest charged = payments.request(0);
        PaymentRequest neverCharged = payments.request(1);
        PaymentRequest tooRecent = payments.request(2);
        try (GatewaySimulator sim = GatewaySimulator.start(SimulatorConfig.builder().latency(Duration.ZERO).noFaults()
                .build())) {
            GatewayConfig gateway = new GatewayConfig(sim.baseUri(), SimulatorConfig.DEFAULT_API_KEY,
                    Duration.ofMillis(500), Duration.ofMillis(300), 8, 1);
            try (HttpPaymentGateway http = new HttpPaymentGateway(gateway)) {
                assertThat(http.charge(charged).get()).isInstanceOf(GatewayOutcome.Approved.class);
            }
            Instant longAgo = Instant.now().minus(Duration.ofMinutes(5));
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(topics.producerProperties("it"),
                    new StringSerializer(), new ByteArraySerializer())) {
                for (PaymentResult unknown : List.of(unknown(charged, longAgo), unknown(neverCharged, longAgo),
                        unknown(tooRecent, Instant.now().plus(Duration.ofMinutes(1))))) {
                    producer.send(new ProducerRecord<>(topics.topics().results(), unknown.paymentId(),
                            PaymentJson.encodeResult(unknown))).get();
                }
            }

            WorkerConfig config = WorkerConfig.of(topics, gateway).withIntake(WorkerConfig.Intake.LEDGER);
            Reconciler.Report report = reconcile(topics, gateway, config);

            assertThat(report.unknown()).isEqualTo(3);
            assertThat(report.approved()).isEqualTo(1);
            assertThat(report.redriven()).isZero();
            assertThat(report.requestsMissing()).as("no charge and no dead letter to re-drive from").isEqualTo(1);
            assertThat(report.stillUnknown()).as("the missing request and the one inside its deadline").isEqualTo(2);
            assertThat(report.lookupFailures()).isZero();
            List<ConsumerRecord<String, byte[]>> outcomes = readAll(topics, topics.topics().outcomes());
            assertThat(outcomes).as("the ledger's exit passes the settlement on").singleElement().satisfies(r -> {
                PaymentResult settled = PaymentJson.decodeResult(r.value());
                assertThat(settled.paymentId()).isEqualTo(charged.paymentId());
                assertThat(settled.status()).isEqualTo(PaymentStatus.APPROVED);
            });
            assertThat(readAll(topics, topics.topics().results())).as("nothing written past the ledger").hasSize(3);
            assertThat(sim.ledger().totalCharges()).isEqualTo(1);
        }
    }

    private static PaymentResult unknown(PaymentRequest request, Instant completedAt) {
        return PaymentResult.of(request, PaymentStatus.UNKNOWN, null, null, "timeout", "gave up; reconcile", 8,
                completedAt);
    }

    /** Every record on {@code topic} up to its current end. */
    private static List<ConsumerRecord<String, byte[]>> readAll(KafkaSettings kafka, String topic) {
        Map<String, Object> props = kafka.clientProperties();
        props.put("group.id", "reconcile-it-" + UUID.randomUUID());
        props.put("enable.auto.commit", false);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static Reconciler.Report reconcile(KafkaSettings topics, GatewayConfig gateway, WorkerConfig config) {
        try (HttpPaymentGateway http = new HttpPaymentGateway(gateway)) {
            return new Reconciler(topics, config.intake(), http, new PaymentProcessor(config.retry(),
                    gateway.responseTimeout(), Clock.systemUTC(), new Random(1)), Clock.systemUTC(), 8).run();
        }
    }

    private static Map<String, Long> statuses(PostgresDatabase db) throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            if (!st.executeQuery("SELECT to_regclass('payment_results') IS NOT NULL").next()) {
                return out;
            }
            try (ResultSet rs = st.executeQuery("SELECT status, count(*) FROM payment_results GROUP BY status")) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (java.sql.SQLException e) {
            if (!"42P01".equals(e.getSQLState())) {
                throw e;
            }
        }
        return out;
    }
}
