package dev.paypipe.control;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.kafka.TopicAdmin;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes fleet commands and heartbeats to the control topic. Each send waits for the broker's
 * acknowledgement ({@code acks=all}), so a command that returned is durable and every follower will
 * see it, including processes that start later.
 */
public final class ControlPublisher implements AutoCloseable {
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final Clock clock;

    public ControlPublisher(KafkaSettings kafka, Clock clock) {
        this(new KafkaProducer<>(kafka.producerProperties("paypipe-control-publisher"), new StringSerializer(),
                new ByteArraySerializer()), kafka.topics().control(), clock);
    }

    public ControlPublisher(Producer<String, byte[]> producer, String topic, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.clock = clock;
    }

    /**
     * Creates the control topic (compacted, one partition, replication min(3, brokers)) when it is
     * missing, so {@code paypipe pause} works on a fresh cluster before any worker has started.
     */
    public static void ensureTopic(KafkaSettings kafka) {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
            TopicAdmin.ensureTopics(admin, List.of(ControlTopic.spec(kafka.topics())),
                    (short) Math.max(1, Math.min(3, brokers)), Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing the Kafka cluster", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach the Kafka cluster at " + kafka.bootstrapServers() + ": " + e, e);
        }
    }

    public ControlMessage.Pause pause(String reason, String by) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a fleet pause needs a reason (it is shown by paypipe status)");
        }
        ControlMessage.Pause pause = new ControlMessage.Pause(reason, by, clock.instant());
        send(pause.key(), ControlCodec.encode(pause));
        return pause;
    }

    public ControlMessage.Resume resume(String by) {
        ControlMessage.Resume resume = new ControlMessage.Resume(by, clock.instant());
        send(resume.key(), ControlCodec.encode(resume));
        return resume;
    }

    public ControlMessage.Breaker breaker(BreakerMode mode, String by) {
        ControlMessage.Breaker breaker = new ControlMessage.Breaker(mode, by, clock.instant());
        send(breaker.key(), ControlCodec.encode(breaker));
        return breaker;
    }

    public void publishStatus(StatusReport report) {
        send(ControlTopic.statusKey(report.instanceId()), ControlCodec.encode(report));
    }

    /** A tombstone for a process that stops cleanly, so it leaves {@code paypipe status} at once. */
    public void retireStatus(String instanceId) {
        send(ControlTopic.statusKey(instanceId), null);
    }

    /**
     * This publisher as a {@link ControlTarget}: the admin endpoints of one process then pause or
     * resume the whole fleet, durably, instead of only that process.
     */
    public ControlTarget fleetTarget(String by) {
        return new ControlTarget() {
            @Override
            public void pause(String reason, String pausedBy) {
                ControlPublisher.this.pause(reason, pausedBy == null ? by : pausedBy);
            }

            @Override
            public void resume() {
                ControlPublisher.this.resume(by);
            }

            @Override
            public void breaker(BreakerMode mode) {
                ControlPublisher.this.breaker(mode, by);
            }
        };
    }

    private RecordMetadata send(String key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(topic, key, value)).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing " + key + " to " + topic, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write " + key + " to " + topic + ": " + e.getCause()
                    + " (is the Kafka cluster reachable and does the topic exist?)", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no acknowledgement for " + key + " on " + topic + " within " + SEND_TIMEOUT
                    + "; check the Kafka cluster", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
