package dev.paypipe.persistence;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.json.PaymentJson;
import dev.paypipe.model.PaymentResult;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes results (and raw bytes) to the results topic and reads the dead-letter topic back. */
final class ResultFeed implements AutoCloseable {
    private final KafkaSettings kafka;
    private final KafkaProducer<String, byte[]> producer;

    ResultFeed(KafkaSettings kafka) {
        this.kafka = kafka;
        this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all",
                "enable.idempotence", true, "linger.ms", 10, "batch.size", 262_144),
                new StringSerializer(), new ByteArraySerializer());
    }

    void publish(List<PaymentResult> results) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>(results.size());
        for (PaymentResult r : results) {
            acks.add(producer.send(new ProducerRecord<>(kafka.topics().results(), r.paymentId(),
                    PaymentJson.encodeResult(r))));
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
    }

    void publishRaw(String key, String value) throws Exception {
        byte[] bytes = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(kafka.topics().results(), key, bytes)).get();
    }

    List<ConsumerRecord<String, byte[]>> readDeadLetters(int expected, Duration within) {
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(), "group.id", "dlq-reader-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(kafka.topics().resultsDlq()));
            long deadline = System.nanoTime() + within.toNanos();
            while (seen.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
        }
        return seen;
    }

    /** True when the group has committed every partition of the results topic up to its end. */
    boolean allCommitted(String groupId) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(List.of(kafka.topics().results())).allTopicNames().get().values()
                    .forEach(d -> d.partitions().forEach(p -> request.put(
                            new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
            var ends = admin.listOffsets(request).all().get();
            for (var end : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(end.getKey());
                long committedOffset = c == null ? 0 : c.offset();
                if (committedOffset < end.getValue().offset()) {
                    return false;
                }
            }
            return true;
        }
    }

    static long count(Connection c, String where) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM payment_results" + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
