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
    /** The {@code kafka.*} keys every command reads. */
    public static final ConfigTable KEYS = new ConfigTable("kafka", "How every paypipe process reaches Kafka.");
    public static final ConfigKey<String> BOOTSTRAP_SERVERS = KEYS.key("kafka.bootstrap-servers")
            .string("localhost:9092").check("host:port[,host:port...]", v -> !v.isBlank() && v.contains(":"))
            .doc("The Kafka cluster's bootstrap servers.");
    public static final ConfigKey<String> TOPIC_PREFIX = KEYS.key("kafka.topic-prefix").string("")
            .doc("Prefix of every topic name (staging. gives staging.payment-requests); also of the ledger's application id.");
    public static final ConfigTable.PassThrough CLIENT = KEYS.passThrough("kafka.client.",
            "kafka.client.security.protocol=SASL_SSL",
            "Passed to every Kafka client with the prefix removed (security settings, timeouts); values of names"
                    + " with password, secret, key, token or jaas are masked.");

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        extra = Map.copyOf(extra);
    }

    public static KafkaSettings of(String bootstrapServers, TopicLayout topics) {
        return new KafkaSettings(bootstrapServers, topics, Map.of());
    }

    public static KafkaSettings from(ConfigSource config) {
        return new KafkaSettings(config.get(BOOTSTRAP_SERVERS), TopicLayout.withPrefix(config.get(TOPIC_PREFIX)),
                config.withPrefix(CLIENT.prefix()));
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
