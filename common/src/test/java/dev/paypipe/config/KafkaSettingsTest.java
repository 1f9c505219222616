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

    @Test
    void everyConsumerGroupDetectsADeadMemberInSixSecondsByDefault() {
        Map<String, Object> props = KafkaSettings.from(ConfigSource.of(Map.of())).consumerProperties("g", "c");

        assertThat(props).containsEntry("group.id", "g").containsEntry("client.id", "c")
                .containsEntry("group.protocol", "classic").containsEntry("session.timeout.ms", 6000)
                .containsEntry("heartbeat.interval.ms", 1500)
                .containsEntry("partition.assignment.strategy",
                        "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    }

    @Test
    void aPassThroughKeyOverridesTheGroupDefaults() {
        Map<String, Object> props = KafkaSettings.from(ConfigSource.of(Map.of("kafka.session-timeout", "10s",
                "kafka.client.heartbeat.interval.ms", "2000"))).consumerProperties("g", "c");

        assertThat(props).containsEntry("session.timeout.ms", 10000).containsEntry("heartbeat.interval.ms", "2000");
    }

    @Test
    void theNewConsumerProtocolDropsTheClassicOnlyKeysItRefuses() {
        for (Map<String, String> config : java.util.List.of(Map.of("kafka.group-protocol", "consumer"),
                Map.of("kafka.client.group.protocol", "consumer"))) {
            Map<String, Object> props = KafkaSettings.from(ConfigSource.of(config)).consumerProperties("g", "c");

            assertThat(props).as("%s", config).containsEntry("group.protocol", "consumer")
                    .doesNotContainKeys("session.timeout.ms", "heartbeat.interval.ms", "partition.assignment.strategy");
        }
    }

    @Test
    void refusesAHeartbeatThatCannotFitThreeTimesIntoTheSession() {
        assertThatThrownBy(() -> KafkaSettings.from(ConfigSource.of(Map.of("kafka.session-timeout", "6s",
                "kafka.heartbeat-interval", "3s"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.heartbeat-interval=PT3S");
    }
}
