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
}
