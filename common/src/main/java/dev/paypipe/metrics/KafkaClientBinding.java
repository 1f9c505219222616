package dev.paypipe.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.List;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Binds a Kafka client's own metrics (consumer lag {@code kafka.consumer.fetch.manager.records.lag.max},
 * request latency, ...) to a registry, tagged {@code client=<role>}. The owner binds each client it
 * creates and closes the returned binding before the client. (Kafka Streams: bind
 * {@code KafkaStreamsMetrics} from micrometer-core the same way.)
 */
public final class KafkaClientBinding {
    private KafkaClientBinding() {
    }

    /** @param role a stable name such as {@code worker-main} or {@code db-writer-1} (a CloudWatch dimension) */
    public static AutoCloseable bind(Consumer<?, ?> consumer, MeterRegistry registry, String role) {
        return bound(new KafkaClientMetrics(consumer, Tags.of("client", role)), registry);
    }

    public static AutoCloseable bind(Producer<?, ?> producer, MeterRegistry registry, String role) {
        return bound(new KafkaClientMetrics(producer, Tags.of("client", role)), registry);
    }

    public static AutoCloseable bind(AdminClient admin, MeterRegistry registry, String role) {
        return bound(new KafkaClientMetrics(admin, Tags.of("client", role)), registry);
    }

    private static AutoCloseable bound(KafkaClientMetrics metrics, MeterRegistry registry) {
        metrics.bindTo(registry);
        return metrics;
    }

    /**
     * Drops the per-process {@code client.id} and {@code kafka.version} tags from Kafka meters in
     * CloudWatch, so every instance writes the same metric (dimensions {@code service}, {@code client})
     * and one alarm covers the fleet. Prometheus keeps them.
     */
    static MeterFilter stableCloudWatchDimensions() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (!id.getName().startsWith("kafka.")) {
                    return id;
                }
                List<Tag> kept = id.getTags().stream()
                        .filter(t -> !t.getKey().equals("client.id") && !t.getKey().equals("kafka.version")).toList();
                return id.replaceTags(kept);
            }
        };
    }
}
