package dev.paypipe.persistence.bench;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.json.PaymentJson;
import dev.paypipe.kafka.TopicAdmin;
import dev.paypipe.kafka.TopicAdmin.TopicSpec;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.persistence.DbWriter;
import dev.paypipe.persistence.DbWriterConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The db-writer side. One {@link DbWriter} with C consumers on a results topic of C partitions runs for
 * the whole scenario, paused (the operator pause) between measurements; so its migrations, client start-up
 * and consumer-group join happen once, before any clock starts, and every measurement runs only the
 * steady-state path. Each measurement, while the writer is paused: empty its table (same indexes as the
 * COPY side's), publish every result once more as JSON, settle; then resume the writer and time it from
 * the resume to the last row written (every row, like the COPY side), and pause it again.
 */
final class WriterPhase implements AutoCloseable {
    private static final Duration GROUP_JOIN_DEADLINE = Duration.ofSeconds(60);

    private final DbWriterConfig config;
    private final List<ProducerRecord<String, byte[]>> records;
    private final KafkaProducer<String, byte[]> producer;
    private final DbWriter writer;

    private WriterPhase(DbWriterConfig config, List<ProducerRecord<String, byte[]>> records,
            KafkaProducer<String, byte[]> producer, DbWriter writer) {
        this.config = config;
        this.records = records;
        this.producer = producer;
        this.writer = writer;
    }

    /**
     * Creates the topics of {@code config.kafka()} with C partitions and starts the writer, paused, on
     * {@code config.schema()}; returns once its group holds every partition.
     */
    static WriterPhase open(DbWriterConfig config, List<PaymentResult> results) {
        KafkaSettings kafka = config.kafka();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(results.size());
        for (PaymentResult r : results) {
            records.add(new ProducerRecord<>(kafka.topics().results(), r.paymentId(), PaymentJson.encodeResult(r)));
        }
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.putAll(Map.of("acks", "all", "enable.idempotence", true, "linger.ms", 20, "batch.size", 524_288));
        KafkaProducer<String, byte[]> producer = null;
        DbWriter writer = null;
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            TopicAdmin.ensureTopics(admin, List.of(TopicSpec.of(kafka.topics().results(), config.consumers()),
                    TopicSpec.of(kafka.topics().resultsDlq(), 1)), (short) 1, Duration.ofSeconds(60));
            producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
            writer = new DbWriter(config, new SimpleMeterRegistry());
            writer.pause("bench: measured rounds only", "bench");
            writer.start();
            awaitEveryPartitionAssigned(admin, config);
            return new WriterPhase(config, records, producer, writer);
        } catch (RuntimeException e) {
            if (writer != null) {
                writer.close();
            }
            if (producer != null) {
                producer.close();
            }
            throw e;
        }
    }

    /** One measurement of every result; the writer is paused again when it returns. */
    Measurement measure() {
        BenchChores.truncate(config);
        publishAll();
        BenchChores.settle(config);
        CpuMeter cpu;
        try (Connection c = BenchChores.connect(config.withSchema("public"), "paypipe-bench")) {
            cpu = CpuMeter.of(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the bench database: " + e, e);
        }
        long target = writer.rowsWritten() + records.size();
        CpuMeter.Sample before = cpu.sample();
        long started = System.nanoTime();
        writer.resume();
        await(() -> writer.rowsWritten() >= target, started + BenchChores.DEADLINE.toNanos(), 2_000_000,
                () -> "db-writer wrote " + (records.size() - (target - writer.rowsWritten())) + " of "
                        + records.size() + " rows within " + BenchChores.DEADLINE);
        long nanos = System.nanoTime() - started; // sampled every 2 ms
        CpuMeter.Sample used = cpu.sample().minus(before);
        writer.pause("bench: between rounds", "bench");
        await(writer::fetchingStopped, System.nanoTime() + GROUP_JOIN_DEADLINE.toNanos(), 5_000_000,
                () -> "the bench writer did not pause within " + GROUP_JOIN_DEADLINE);
        return new Measurement(records.size(), nanos, used);
    }

    @Override
    public void close() {
        writer.close();
        producer.close();
    }

    private void publishAll() {
        try {
            List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
            for (ProducerRecord<String, byte[]> r : records) {
                acks.add(producer.send(r));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(BenchChores.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the bench topic", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot load " + records.size() + " results into "
                    + config.kafka().topics().results() + ": " + e, e);
        }
    }

    private static void await(BooleanSupplier done, long deadlineNanos, long periodNanos,
            Supplier<String> failure) {
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadlineNanos) {
                throw new IllegalStateException(failure.get());
            }
            LockSupport.parkNanos(periodNanos);
        }
    }

    /** Waits until the group is stable with C members holding every partition between them. */
    private static void awaitEveryPartitionAssigned(Admin admin, DbWriterConfig config) {
        long deadline = System.nanoTime() + GROUP_JOIN_DEADLINE.toNanos();
        String seen = "not described yet";
        while (System.nanoTime() < deadline) {
            try {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(config.groupId()))
                        .describedGroups().get(config.groupId()).get(5, TimeUnit.SECONDS);
                int assigned = group.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum();
                if (group.groupState() == GroupState.STABLE && group.members().size() == config.consumers()
                        && assigned == config.consumers()) {
                    return;
                }
                seen = group.groupState() + " with " + group.members().size() + " members holding " + assigned
                        + " partitions";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the bench writer joined its group", e);
            } catch (ExecutionException | TimeoutException e) {
                seen = e.toString();
            }
            LockSupport.parkNanos(20_000_000);
        }
        throw new IllegalStateException("the bench writer's group " + config.groupId() + " did not settle with "
                + config.consumers() + " members within " + GROUP_JOIN_DEADLINE + "; last seen: " + seen);
    }
}
