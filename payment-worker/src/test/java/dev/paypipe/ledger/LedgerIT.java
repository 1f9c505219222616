package dev.paypipe.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.json.PaymentJson;
import dev.paypipe.kafka.PaymentPublisher;
import dev.paypipe.kafka.TopicAdmin.TopicSpec;
import dev.paypipe.kafka.TopicLayout;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.model.PaymentRequest;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.retry.RetryPolicy;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.sim.StoredCharge;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import dev.paypipe.worker.PaymentWorker;
import dev.paypipe.worker.WorkerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger in front of and behind a real worker, against a real broker and the gateway simulator over HTTP: every
 * payment published twice, 1 % of second copies with another amount.
 */
@ExtendWith(PaypipeInfraExtension.class)
class LedgerIT {
    private static final int PAYMENTS = 5000;
    private final KafkaBroker broker;

    LedgerIT(KafkaBroker broker) {
        this.broker = broker;
    }

    @Test
    void everyPaymentPublishedTwiceIsChargedOnceAtItsFirstAmountWithExactlyOneCommittedResult(@TempDir Path state)
            throws Exception {
        KafkaSettings kafka = broker.freshTopics(4);
        PaymentFactory payments = new PaymentFactory("p" + UUID.randomUUID().toString().substring(0, 6));
        SimulatorConfig simConfig = SimulatorConfig.builder().latency(Duration.ofMillis(5)).declineRate(0.1).noFaults()
                .build();
        try (GatewaySimulator sim = GatewaySimulator.start(simConfig);
                PaymentLedger ledger = new PaymentLedger(LedgerConfig.of(kafka, state), new SimpleMeterRegistry());
                CommittedResults results = new CommittedResults(kafka)) {
            ledger.start();
            ledger.awaitRunning(Duration.ofSeconds(60));
            GatewayConfig gateway = new GatewayConfig(sim.baseUri(), SimulatorConfig.DEFAULT_API_KEY,
                    Duration.ofMillis(500), Duration.ofSeconds(2), 256, 1);
            WorkerConfig workerConfig = WorkerConfig.of(kafka, gateway).withIntake(WorkerConfig.Intake.LEDGER)
                    .withMaxInFlight(256).withRampPeriod(Duration.ofSeconds(1))
                    .withRetry(new RetryPolicy(List.of(Duration.ofMillis(200), Duration.ofSeconds(1)),
                            Duration.ofMillis(100), Duration.ofSeconds(1), 10));
            try (PaymentWorker worker = new PaymentWorker(workerConfig, new SimpleMeterRegistry());
                    PaymentPublisher publisher = new PaymentPublisher(kafka)) {
                worker.start();
                long started = System.nanoTime();
                for (int i = 0; i < PAYMENTS; i++) {
                    publisher.publish(payments.request(i));
                    if (i % 2 == 0) {
                        publisher.publish(secondCopy(payments, i)); // back to back
                    }
                }
                for (int i = 1; i < PAYMENTS; i += 2) {
                    publisher.publish(secondCopy(payments, i)); // after the first has most likely finished
                }
                publisher.flush();

                await().atMost(Duration.ofSeconds(120)).until(() -> results.payments() == PAYMENTS);
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("LedgerIT: %d payments (%d requests) to %d committed results in %.1f s: %.0f "
                        + "payments/s%n", PAYMENTS, 2 * PAYMENTS, results.records.get(), seconds, PAYMENTS / seconds);
                await().atMost(Duration.ofSeconds(60)).until(
                        () -> ledger.duplicatesDropped() + ledger.conflictsRefused() >= PAYMENTS);

                assertThat(ledger.conflictsRefused()).isEqualTo(PAYMENTS / 100);
                assertThat(ledger.duplicatesDropped()).isEqualTo(PAYMENTS - PAYMENTS / 100);
                assertThat(results.byPayment.values()).allSatisfy(list -> assertThat(list).hasSize(1));
                assertThat(results.records.get()).isEqualTo(PAYMENTS);
                for (int i = 0; i < PAYMENTS; i++) {
                    String id = payments.paymentId(i);
                    assertThat(sim.ledger().chargesFor(id)).as(id).isLessThanOrEqualTo(1);
                    StoredCharge charge = sim.ledger().find(id).orElseThrow();
                    assertThat(new BigDecimal(charge.amount())).as(id)
                            .isEqualByComparingTo(payments.request(i).amount());
                }
                assertThat(sim.ledger().chargedTwice()).isZero();
                assertThat(sim.stats().chargeCalls()).as("copies never reach the gateway").isEqualTo(PAYMENTS);

                assertStatusEndpoint(ledger, payments.paymentId(7));

                // A worker that crashed before committing re-publishes what it already published: nothing changes.
                long repeatsBefore = ledger.metrics().repeatsDropped();
                int replayed = replayOutcomes(kafka);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> ledger.metrics().repeatsDropped() - repeatsBefore >= replayed);
                assertThat(replayed).isGreaterThanOrEqualTo(PAYMENTS);
                assertThat(results.records.get()).isEqualTo(PAYMENTS);
            }
        }
    }

    @Test
    void eitherInstanceAnswersForEveryPaymentByAskingItsOwner(@TempDir Path stateA, @TempDir Path stateB) {
        KafkaSettings kafka = broker.freshTopics(4);
        PaymentFactory payments = new PaymentFactory("s" + UUID.randomUUID().toString().substring(0, 6));
        int n = 200;
        try (PaymentLedger a = new PaymentLedger(LedgerConfig.of(kafka, stateA), new SimpleMeterRegistry());
                PaymentLedger b = new PaymentLedger(LedgerConfig.of(kafka, stateB), new SimpleMeterRegistry());
                PaymentPublisher publisher = new PaymentPublisher(kafka)) {
            a.start();
            b.start();
            a.awaitRunning(Duration.ofSeconds(60));
            b.awaitRunning(Duration.ofSeconds(60));
            for (int i = 0; i < n; i++) {
                publisher.publish(payments.request(i));
            }
            publisher.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> a.metrics().accepted() + b.metrics().accepted() >= n
                    && a.state() == KafkaStreams.State.RUNNING
                    && b.state() == KafkaStreams.State.RUNNING);

            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (int i = 0; i < n; i++) {
                    String id = payments.paymentId(i);
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create(a.statusUri() + "/payments/" + id)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as(id + " " + r.body()).isEqualTo(200);
                    assertThat(r.body()).contains("\"state\":\"ACCEPTED\"");
                }
            });
            long ownedByB = IntStream.range(0, n)
                    .filter(i -> a.localStatus(payments.paymentId(i)).isEmpty()
                            && b.localStatus(payments.paymentId(i)).isPresent()).count();
            assertThat(ownedByB).as("payments answered by proxying to the other instance").isPositive();
        }
    }

    @Test
    void aRequestOnAForeignPartitionMeetsItsCopiesAndARestartedLedgerStillRemembers(@TempDir Path state,
            @TempDir Path freshState) throws Exception {
        KafkaSettings kafka = broker.freshTopics(4);
        PaymentFactory payments = new PaymentFactory("m" + UUID.randomUUID().toString().substring(0, 6));
        PaymentRequest request = payments.request(0);
        byte[] key = request.paymentId().getBytes(StandardCharsets.UTF_8);
        int home = DoorProcessor.partitionFor(request.paymentId(), 4);
        LedgerConfig config = LedgerConfig.of(kafka, state);
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(kafka.producerProperties("misrouting-publisher"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            try (PaymentLedger ledger = new PaymentLedger(config, new SimpleMeterRegistry())) {
                ledger.start();
                ledger.awaitRunning(Duration.ofSeconds(60));
                // as a publisher with another partitioner would: the same payment on a foreign partition, then home
                raw.send(new ProducerRecord<>(kafka.topics().requests(), (home + 1) % 4, key,
                        PaymentJson.encodeRequest(request))).get();
                raw.send(new ProducerRecord<>(kafka.topics().requests(), home, key, PaymentJson.encodeRequest(request)))
                        .get();

                await().atMost(Duration.ofSeconds(30))
                        .until(() -> ledger.metrics().accepted() + ledger.duplicatesDropped() >= 2);
                assertThat(ledger.metrics().rerouted()).isEqualTo(1);
                assertThat(ledger.metrics().accepted()).isEqualTo(1);
                assertThat(ledger.duplicatesDropped()).isEqualTo(1);
            }
            assertThat(committedRecords(kafka, kafka.topics().accepted())).singleElement()
                    .satisfies(r -> assertThat(r.partition()).isEqualTo(home));

            // A new instance with an empty state directory restores the entries from the changelog.
            try (PaymentLedger restarted = new PaymentLedger(config.withStateDir(freshState), new SimpleMeterRegistry())) {
                restarted.start();
                restarted.awaitRunning(Duration.ofSeconds(60));
                raw.send(new ProducerRecord<>(kafka.topics().requests(), home, key, PaymentJson.encodeRequest(request)))
                        .get();

                await().atMost(Duration.ofSeconds(30)).until(() -> restarted.duplicatesDropped() == 1);
                assertThat(restarted.metrics().accepted()).isZero();
            }
        }
    }

    @Test
    void refusesToStartWhenThePipelineTopicsAreNotCoPartitioned(@TempDir Path state) {
        TopicLayout topics = TopicLayout.withPrefix(
                "c" + UUID.randomUUID().toString().substring(0, 8) + "-");
        broker.createTopics(List.of(TopicSpec.of(topics.requests(), 4),
                TopicSpec.of(topics.outcomes(), 2)));
        KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers(), topics);

        try (PaymentLedger ledger = new PaymentLedger(LedgerConfig.of(kafka, state), new SimpleMeterRegistry())) {
            assertThatIllegalStateException().isThrownBy(ledger::start)
                    .withMessageContaining(topics.requests() + " (4 partitions)")
                    .withMessageContaining(topics.outcomes() + " has 2");
        }
    }

    /** Every record on the outcomes topic published once more, as a worker replaying after a crash would. */
    private static int replayOutcomes(KafkaSettings kafka) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> outcomes = committedRecords(kafka, kafka.topics().outcomes());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producerProperties("replaying-worker"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ConsumerRecord<byte[], byte[]> r : outcomes) {
                producer.send(new ProducerRecord<>(r.topic(), null, r.key(), r.value(), r.headers()));
            }
            producer.flush();
        }
        return (int) outcomes.stream().filter(r -> r.value() != null && r.value().length > 0).count();
    }

    /** Everything committed on a topic so far, read with isolation.level=read_committed. */
    private static List<ConsumerRecord<byte[], byte[]>> committedRecords(KafkaSettings kafka, String topic) {
        Map<String, Object> props = kafka.clientProperties();
        props.put("isolation.level", "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
            });
            return records;
        }
    }

    private static void assertStatusEndpoint(PaymentLedger ledger, String finishedId) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> known = http.send(HttpRequest.newBuilder(
                URI.create(ledger.statusUri() + "/payments/" + finishedId)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(known.statusCode()).isEqualTo(200);
        assertThat(known.body()).contains("\"paymentId\":\"" + finishedId + "\"", "\"state\":\"FINAL\"", "\"result\":{");
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(
                URI.create(ledger.statusUri() + "/payments/never-seen")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    /** The same payment again; every hundredth copy asks for another amount. */
    private static PaymentRequest secondCopy(PaymentFactory payments, int i) {
        PaymentRequest first = payments.request(i);
        if (i % 100 != 42) {
            return first;
        }
        return new PaymentRequest(first.paymentId(), first.orderId(), first.amount().add(BigDecimal.ONE),
                first.currency(), first.customerId(), first.paymentMethod(), first.createdAt(), first.metadata());
    }

    /** A client of payment-results with isolation.level=read_committed, as the contract asks clients to be. */
    static final class CommittedResults implements AutoCloseable {
        final Map<String, List<PaymentResult>> byPayment = new ConcurrentHashMap<>();
        final AtomicLong records = new AtomicLong();
        private final KafkaConsumer<String, byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        CommittedResults(KafkaSettings kafka) {
            Map<String, Object> props = kafka.clientProperties();
            props.put("group.id", "committed-results-" + UUID.randomUUID());
            props.put("auto.offset.reset", "earliest");
            props.put("enable.auto.commit", false);
            props.put("isolation.level", "read_committed");
            consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(kafka.topics().results()));
            thread = new Thread(this::run, "committed-results");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            try {
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        PaymentResult result = PaymentJson.decodeResult(r.value());
                        byPayment.computeIfAbsent(result.paymentId(), k -> new CopyOnWriteArrayList<>()).add(result);
                        records.incrementAndGet();
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close();
            }
        }

        int payments() {
            return byPayment.size();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            consumer.wakeup();
            thread.join(5000);
        }
    }

}
