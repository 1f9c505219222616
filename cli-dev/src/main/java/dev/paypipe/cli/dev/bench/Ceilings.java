package dev.paypipe.cli.dev.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.gateway.HttpPaymentGateway;
import dev.paypipe.json.PaymentJson;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.persistence.bench.DbWriterBenchmark;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.testkit.PostgresDatabase;
import dev.paypipe.testkit.TestInfra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The {@code ceilings} scenario: the raw rate of each hop a payment makes, alone on this machine, and their
 * combined ceiling. A payment with the ledger on crosses Kafka {@value #KAFKA_HOPS} times (payment-requests,
 * payment-accepted, payment-outcomes, payment-results), makes one gateway call and becomes one COPY row; since
 * the hops share the machine's cores, each payment costs the sum of its hops' costs (1 / rate), so
 * {@code combined = 1 / (4 / kafka + 1 / gateway + 1 / copy)}.
 */
final class Ceilings {
    static final int KAFKA_HOPS = 4;

    private Ceilings() {
    }

    static ObjectNode run(BenchSizes sizes, BenchProgress progress, long latencyMs) throws Exception {
        progress.phase("ceilings: kafka");
        int payloadBytes = PaymentJson.encodeRequest(new PaymentFactory("demo").request(0)).length;
        double kafka = kafkaRate(sizes, payloadBytes);
        progress.phase("ceilings: gateway simulator");
        int concurrency = BenchRig.maxInFlight(latencyMs);
        double gateway = gatewayRate(sizes.gatewaySeconds(), latencyMs, concurrency, progress);
        progress.phase("ceilings: COPY");
        PostgresDatabase db = TestInfra.postgres().freshDatabase();
        double copy = DbWriterBenchmark.copyCeiling(db.jdbcUrl(), db.user(), db.password(), sizes.dbConnections(),
                sizes.copyRows());
        double combined = 1.0 / (KAFKA_HOPS / kafka + 1.0 / gateway + 1.0 / copy);
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("payloadBytes", payloadBytes);
        n.put("kafkaRecordsPerSec", Math.round(kafka));
        n.put("kafkaHopsPerPayment", KAFKA_HOPS);
        n.put("gatewayLatencyMs", latencyMs);
        n.put("gatewayConcurrency", concurrency);
        n.put("gatewayChargesPerSec", Math.round(gateway));
        n.put("copyConnections", sizes.dbConnections());
        n.put("copyRowsPerSec", Math.round(copy));
        n.put("combinedPaymentsPerSec", Math.round(combined));
        return n;
    }

    /** Produce → consume of {@code kafkaRecords} records of the payload size, the publisher's producer settings. */
    private static double kafkaRate(BenchSizes sizes, int payloadBytes) throws Exception {
        KafkaSettings topics = TestInfra.kafka().freshTopics(sizes.partitions());
        byte[] payload = PaymentJson.encodeRequest(new PaymentFactory("demo").request(0));
        Map<String, Object> producerProps = topics.producerProperties("bench-ceiling");
        producerProps.putAll(Map.of("linger.ms", 5, "batch.size", 128 * 1024, "compression.type", "lz4"));
        Map<String, Object> consumerProps = topics.clientProperties();
        consumerProps.putAll(Map.of("group.id", "bench-ceiling-" + UUID.randomUUID(), "auto.offset.reset", "earliest",
                "enable.auto.commit", false));
        String topic = topics.topics().requests();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                new ByteArraySerializer());
                KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
                        new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100)); // join the group before the clock starts
            }
            int n = sizes.kafkaRecords();
            long start = System.nanoTime();
            Thread send = new Thread(() -> {
                for (int i = 0; i < n; i++) {
                    producer.send(new ProducerRecord<>(topic, "demo-" + i, payload));
                }
                producer.flush();
            }, "bench-ceiling-producer");
            send.start();
            long consumed = 0;
            long deadline = start + TimeUnit.MINUTES.toNanos(2);
            while (consumed < n && System.nanoTime() < deadline) {
                consumed += consumer.poll(Duration.ofMillis(100)).count();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            send.join();
            return consumed / seconds;
        }
    }

    /**
     * The worker's own gateway client, closed loop at the worker's in-flight limit, against the simulator at the
     * bench latency: charges per second after as many warm-up seconds as measured ones.
     */
    private static double gatewayRate(int seconds, long latencyMs, int concurrency, BenchProgress progress)
            throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().latency(Duration.ofMillis(latencyMs)).noFaults().build();
        try (GatewaySimulator sim = GatewaySimulator.start(config);
                HttpPaymentGateway gateway = new HttpPaymentGateway(new GatewayConfig(sim.baseUri(),
                        SimulatorConfig.DEFAULT_API_KEY, Duration.ofSeconds(1), Duration.ofSeconds(10), concurrency,
                        2))) {
            PaymentFactory payments = new PaymentFactory("ceiling");
            Semaphore slots = new Semaphore(concurrency);
            AtomicLong done = new AtomicLong();
            long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long end = warmEnd + TimeUnit.SECONDS.toNanos(seconds);
            long measuredFrom = -1;
            int i = 0;
            long measuredAt = warmEnd;
            while (System.nanoTime() < end) {
                if (measuredFrom < 0 && System.nanoTime() >= warmEnd) {
                    measuredFrom = done.get();
                    measuredAt = System.nanoTime();
                    progress.tick();
                }
                if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                gateway.charge(payments.request(i++)).whenComplete((o, e) -> {
                    done.incrementAndGet();
                    slots.release();
                });
            }
            return (done.get() - Math.max(0, measuredFrom)) / ((System.nanoTime() - measuredAt) / 1e9);
        }
    }
}
