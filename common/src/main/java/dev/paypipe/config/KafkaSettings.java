package dev.paypipe.config;

import dev.paypipe.kafka.TopicLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach the Kafka cluster and which topics to use. {@code extra} holds pass-through client
 * properties ({@code kafka.client.*} keys, e.g. security settings) applied to every client, over
 * paypipe's own defaults; {@code group} is how consumer groups detect a dead member.
 */
public record KafkaSettings(String bootstrapServers, TopicLayout topics, Map<String, String> extra,
        GroupMembership group) {

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(group, "group");
        extra = Map.copyOf(extra);
    }

    /** With the default group membership (classic protocol, 6 s session timeout). */
    public KafkaSettings(String bootstrapServers, TopicLayout topics, Map<String, String> extra) {
        this(bootstrapServers, topics, extra, GroupMembership.defaults());
    }

    public static KafkaSettings of(String bootstrapServers, TopicLayout topics) {
        return new KafkaSettings(bootstrapServers, topics, Map.of());
    }

    public KafkaSettings withGroup(GroupMembership membership) {
        return new KafkaSettings(bootstrapServers, topics, extra, membership);
    }

    public static KafkaSettings from(ConfigSource config) {
        String bootstrap = config.string("kafka.bootstrap-servers", "localhost:9092");
        if (bootstrap.isBlank() || !bootstrap.contains(":")) {
            throw new ConfigException("kafka.bootstrap-servers", "invalid config kafka.bootstrap-servers='"
                    + bootstrap + "': expected host:port[,host:port...]");
        }
        String prefix = config.string("kafka.topic-prefix", "");
        return new KafkaSettings(bootstrap, TopicLayout.withPrefix(prefix), config.withPrefix("kafka.client."),
                GroupMembership.from(config));
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

    /**
     * Properties for a member of consumer group {@code groupId}: the {@link GroupMembership} settings (fast
     * failure detection) under {@link #clientProperties()}, so a {@code kafka.client.*} key still wins.
     */
    public Map<String, Object> consumerProperties(String groupId, String clientId) {
        Map<String, Object> props = new HashMap<>();
        // kafka.client.group.protocol=consumer also drops the classic-only keys the new protocol refuses
        boolean passThroughConsumer = "consumer".equalsIgnoreCase(extra.get("group.protocol"));
        (passThroughConsumer ? group.withProtocol(GroupMembership.Protocol.CONSUMER) : group).applyTo(props);
        props.putAll(extra);
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", groupId);
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
