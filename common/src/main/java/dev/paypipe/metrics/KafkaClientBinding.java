package dev.paypipe.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
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

    /** The meter {@link #bind(Consumer, MeterRegistry, String)} adds: records behind the log end, summed over the consumer's partitions. */
    public static final String CONSUMER_LAG = "paypipe.consumer.lag";

    /**
     * Binds the consumer's client metrics and {@value #CONSUMER_LAG} (tag {@code client=<role>}): the
     * sum of its per-partition {@code records-lag}, one stable series per consumer role that the
     * "consumer lag growing" alarm watches.
     *
     * @param role a stable name such as {@code worker-main} or {@code db-writer} (a CloudWatch dimension)
     */
    public static AutoCloseable bind(Consumer<?, ?> consumer, MeterRegistry registry, String role) {
        Gauge lag = Gauge.builder(CONSUMER_LAG, consumer, KafkaClientBinding::totalLag).tag("client", role)
                .description("records behind the log end, summed over assigned partitions").register(registry);
        AutoCloseable client = bound(new KafkaClientMetrics(consumer, Tags.of("client", role)), registry);
        return () -> {
            registry.remove(lag);
            client.close();
        };
    }

    /**
     * The consumer's lag per assigned partition ({@code topic-partition} → records), read from its
     * metrics, so a {@code StatusSource} can report it from any thread without touching the consumer.
     */
    public static Map<String, Long> lagByPartition(Consumer<?, ?> consumer) {
        Map<String, Long> lag = new java.util.TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : consumer.metrics().entrySet()) {
            MetricName name = e.getKey();
            if (isPartitionLag(name) && e.getValue().metricValue() instanceof Number n && !Double.isNaN(n.doubleValue())) {
                lag.put(name.tags().get("topic") + "-" + name.tags().get("partition"), n.longValue());
            }
        }
        return lag;
    }

    private static boolean isPartitionLag(MetricName name) {
        return name.name().equals("records-lag") && name.group().equals("consumer-fetch-manager-metrics")
                && name.tags().containsKey("partition");
    }

    /** Sum of the partition-level {@code records-lag} metrics; NaN (no sample) before the first fetch. */
    static double totalLag(Consumer<?, ?> consumer) {
        double sum = 0;
        boolean any = false;
        for (Map.Entry<MetricName, ? extends Metric> e : consumer.metrics().entrySet()) {
            MetricName name = e.getKey();
            if (isPartitionLag(name) && e.getValue().metricValue() instanceof Number n
                    && !Double.isNaN(n.doubleValue())) {
                sum += n.doubleValue();
                any = true;
            }
        }
        return any ? sum : Double.NaN;
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
     * Drops the per-process {@code client.id}, {@code kafka.version} and (Kafka Streams) {@code thread.id}
     * tags from Kafka meters in CloudWatch, so every instance writes the same metric (dimensions
     * {@code service}, {@code client}) and one alarm covers the fleet, and a restart does not start new
     * series; Streams' per-task meters (a {@code task.id} tag) stay out of CloudWatch altogether.
     * Prometheus keeps everything.
     */
    static MeterFilter stableCloudWatchDimensions() {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                return id.getName().startsWith("kafka.") && id.getTag("task.id") != null
                        ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
            }

            @Override
            public Meter.Id map(Meter.Id id) {
                if (!id.getName().startsWith("kafka.")) {
                    return id;
                }
                List<Tag> kept = id.getTags().stream().filter(t -> !PER_PROCESS_TAGS.contains(t.getKey())).toList();
                return id.replaceTags(kept);
            }
        };
    }

    private static final java.util.Set<String> PER_PROCESS_TAGS = java.util.Set.of("client.id", "kafka.version",
            "thread.id");
}
