package dev.paypipe.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class KafkaClientBindingTest {

    /** A consumer whose metrics are whatever the test says. */
    static final class ConsumerWithLag extends MockConsumer<String, byte[]> {
        final Map<MetricName, Metric> metrics = new HashMap<>();

        ConsumerWithLag() {
            super("earliest");
        }

        void lag(String topic, int partition, double records) {
            MetricName name = new MetricName("records-lag", "consumer-fetch-manager-metrics", "",
                    Map.of("client-id", "c1", "topic", topic, "partition", Integer.toString(partition)));
            metrics.put(name, new Metric() {
                @Override
                public MetricName metricName() {
                    return name;
                }

                @Override
                public Object metricValue() {
                    return records;
                }
            });
        }

        @Override
        public synchronized Map<MetricName, ? extends Metric> metrics() {
            return metrics;
        }
    }

    @Test
    void reportsLagPerPartitionAndTheirSumAsOneGaugePerConsumerRole() throws Exception {
        ConsumerWithLag consumer = new ConsumerWithLag();
        consumer.lag("payment-accepted", 0, 40);
        consumer.lag("payment-accepted", 1, 2);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        AutoCloseable binding = KafkaClientBinding.bind(consumer, registry, "worker-main");

        assertThat(KafkaClientBinding.lagByPartition(consumer))
                .containsExactly(Map.entry("payment-accepted-0", 40L), Map.entry("payment-accepted-1", 2L));
        assertThat(registry.get(KafkaClientBinding.CONSUMER_LAG).tag("client", "worker-main").gauge().value()).isEqualTo(42);
        binding.close();
        assertThat(registry.find(KafkaClientBinding.CONSUMER_LAG).gauge()).isNull();
    }

    @Test
    void lagIsNoDataBeforeTheFirstFetch() {
        assertThat(KafkaClientBinding.totalLag(new ConsumerWithLag())).isNaN();
    }

    @Test
    void cloudWatchGetsFleetWideKafkaMetersWithoutPerProcessTagsOrStreamsTaskMeters() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        registry.config().meterFilter(KafkaClientBinding.stableCloudWatchDimensions());

        registry.gauge("kafka.stream.thread.poll.rate", io.micrometer.core.instrument.Tags.of("client", "ledger",
                "client.id", "app-1-StreamThread-1", "thread.id", "app-1-1b2c-StreamThread-1", "kafka.version", "4.3.1"),
                1.0);
        registry.gauge("kafka.stream.task.process.rate", io.micrometer.core.instrument.Tags.of("client", "ledger",
                "task.id", "0_3", "thread.id", "app-1-1b2c-StreamThread-1"), 1.0);
        registry.gauge("paypipe.worker.in.flight", io.micrometer.core.instrument.Tags.of("thread.id", "kept"), 1.0);

        assertThat(registry.find("kafka.stream.thread.poll.rate").gauge().getId().getTags())
                .containsExactly(io.micrometer.core.instrument.Tag.of("client", "ledger"));
        assertThat(registry.find("kafka.stream.task.process.rate").gauge()).isNull();
        assertThat(registry.find("paypipe.worker.in.flight").tag("thread.id", "kept").gauge()).isNotNull();
    }
}
