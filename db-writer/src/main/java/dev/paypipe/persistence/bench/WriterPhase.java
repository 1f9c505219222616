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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The db-writer side: the rows pre-loaded once as JSON into a results topic of C partitions; each
 * measurement starts a fresh {@link DbWriter} with C consumers in a new consumer group on a fresh
 * schema, so it reads the whole topic from the start and writes into an empty table (same indexes as
 * the COPY side's).
 */
final class WriterPhase {
    private static final Logger log = LoggerFactory.getLogger(WriterPhase.class);
    private static final Duration GROUP_JOIN_DEADLINE = Duration.ofSeconds(60);

    private final DbWriterConfig config;
    private final int rows;

    private WriterPhase(DbWriterConfig config, int rows) {
        this.config = config;
        this.rows = rows;
    }

    /** Creates the topics of {@code config.kafka()} with C partitions and publishes every result. */
    static WriterPhase preload(DbWriterConfig config, List<PaymentResult> results) {
        KafkaSettings kafka = config.kafka();
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            TopicAdmin.ensureTopics(admin, List.of(TopicSpec.of(kafka.topics().results(), config.consumers()),
                    TopicSpec.of(kafka.topics().resultsDlq(), 1)), (short) 1, Duration.ofSeconds(60));
        }
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.putAll(Map.of("acks", "all", "enable.idempotence", true, "linger.ms", 20, "batch.size", 524_288));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>(results.size());
            for (PaymentResult r : results) {
                acks.add(producer.send(new ProducerRecord<>(kafka.topics().results(), r.paymentId(),
                        PaymentJson.encodeResult(r))));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(BenchChores.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pre-loading the bench topic", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot pre-load " + results.size() + " results into "
                    + kafka.topics().results() + ": " + e, e);
        }
        return new WriterPhase(config, results.size());
    }

    /**
     * One measurement in schema {@code schema} with consumer group {@code groupId}. The writer starts paused
     * (the operator pause), so that its migrations and the consumer-group join happen before the clock starts;
     * once every partition is assigned the previous phase is settled, the writer resumed, and rows per second
     * counted from the resume to the last row written: every row, like the COPY side.
     */
    Measurement measure(String schema, String groupId) {
        DbWriterConfig run = config.withSchema(schema).withGroupId(groupId);
        CpuMeter cpu;
        try (Connection c = BenchChores.connect(run.withSchema("public"), "paypipe-bench")) {
            cpu = CpuMeter.of(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the bench database: " + e, e);
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (DbWriter writer = new DbWriter(run, registry);
                Admin admin = Admin.create(run.kafka().clientProperties())) {
            writer.pause("bench: join the group before the clock starts", "bench");
            writer.start();
            awaitEveryPartitionAssigned(admin, groupId);
            BenchChores.settle(run);
            CpuMeter.Sample before = cpu.sample();
            long started = System.nanoTime();
            writer.resume();
            long deadline = started + BenchChores.DEADLINE.toNanos();
            long written;
            while ((written = writer.rowsWritten()) < rows) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("db-writer wrote " + written + " of " + rows + " rows within "
                            + BenchChores.DEADLINE);
                }
                LockSupport.parkNanos(2_000_000); // sampling period of the measurement (2 ms)
            }
            long nanos = System.nanoTime() - started;
            CpuMeter.Sample used = cpu.sample().minus(before);
            var latency = registry.get("paypipe.db.batch.latency").timer();
            log.info("bench_writer_batches count={} meanMs={}", latency.count(),
                    String.format(Locale.ROOT, "%.1f", latency.mean(TimeUnit.MILLISECONDS)));
            return new Measurement(rows, nanos, used);
        }
    }

    /** Waits until the group is stable with C members holding every partition between them. */
    private void awaitEveryPartitionAssigned(Admin admin, String groupId) {
        long deadline = System.nanoTime() + GROUP_JOIN_DEADLINE.toNanos();
        String seen = "not described yet";
        while (System.nanoTime() < deadline) {
            try {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups()
                        .get(groupId).get(5, TimeUnit.SECONDS);
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
        throw new IllegalStateException("the bench writer's group " + groupId + " did not settle with "
                + config.consumers() + " members within " + GROUP_JOIN_DEADLINE + "; last seen: " + seen);
    }
}
