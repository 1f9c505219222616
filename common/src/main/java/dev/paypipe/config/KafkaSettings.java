package dev.paypipe.config;

import dev.paypipe.kafka.TopicLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach the Kafka cluster and which topics to use. {@code extra} holds pass-through client
 * properties ({@code kafka.client.*} keys, e.g. security settings) applied to every client.
 */
public record KafkaSettings(String bootstrapServers, TopicLayout topics, Map<String, String> extra) {

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        extra = Map.copyOf(extra);
    }

    public static KafkaSettings of(String bootstrapServers, TopicLayout topics) {
        return new KafkaSettings(bootstrapServers, topics, Map.of());
    }

    public static KafkaSettings from(ConfigSource config) {
        String bootstrap = config.string("kafka.bootstrap-servers", "localhost:9092");
        if (bootstrap.isBlank() || !bootstrap.contains(":")) {
            throw new ConfigException("kafka.bootstrap-servers", "invalid config kafka.bootstrap-servers='"
                    + bootstrap + "': expected host:port[,host:port...]");
        }
        String prefix = config.string("kafka.topic-prefix", "");
        return new KafkaSettings(bootstrap, TopicLayout.withPrefix(prefix), config.withPrefix("kafka.client."));
    }

    /**
     * Properties for a producer whose records must not be lost or duplicated by retries:
     * {@code acks=all} and idempotence on top of {@link #clientProperties()}.
     */
    public Map<String, Object> producerProperties(String clientId) {
        Map<String, Object> props = clientProperties();
        props.put("acks", "all");
        props.put("enable.idempotence", true);
        props.put("client.id", clientId);
        return props;
    }

    /** Base properties for any client: bootstrap servers plus the pass-through extras. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>(extra);
        props.put("bootstrap.servers", bootstrapServers);
        return props;
    }
}
