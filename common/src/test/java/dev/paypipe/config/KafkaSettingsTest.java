package dev.paypipe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {
    @Test
    void readsBootstrapServersAndTopicPrefix() {
        KafkaSettings kafka = KafkaSettings.from(ConfigSource.of(Map.of(
                "kafka.bootstrap-servers", "broker-1:9092,broker-2:9092", "kafka.topic-prefix", "staging.")));

        assertThat(kafka.bootstrapServers()).isEqualTo("broker-1:9092,broker-2:9092");
        assertThat(kafka.topics().requests()).isEqualTo("staging.payment-requests");
        assertThat(kafka.clientProperties()).containsEntry("bootstrap.servers", "broker-1:9092,broker-2:9092");
    }

    @Test
    void defaultsToALocalBrokerAndUnprefixedTopics() {
        KafkaSettings kafka = KafkaSettings.from(ConfigSource.of(Map.of()));

        assertThat(kafka.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(kafka.topics().results()).isEqualTo("payment-results");
    }

    @Test
    void refusesBootstrapServersWithoutAPort() {
        assertThatThrownBy(() -> KafkaSettings.from(ConfigSource.of(Map.of("kafka.bootstrap-servers", "broker-1"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.bootstrap-servers='broker-1'");
    }

    @Test
    void passesKafkaClientKeysThroughToEveryClient() {
        KafkaSettings kafka = KafkaSettings.from(ConfigSource.of(Map.of(
                "kafka.client.session.timeout.ms", "6000", "kafka.client.security.protocol", "SSL")));

        assertThat(kafka.clientProperties())
                .containsEntry("session.timeout.ms", "6000")
                .containsEntry("security.protocol", "SSL");
        assertThat(kafka.producerProperties("p")).containsEntry("session.timeout.ms", "6000");
    }
}
