package dev.paypipe.config;

import dev.paypipe.kafka.TopicLayout;
import java.time.Duration;
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
    /** The {@code kafka.*} keys every command reads. */
    public static final ConfigTable KEYS = new ConfigTable("kafka", "How every paypipe process reaches Kafka.");
    public static final ConfigKey<String> BOOTSTRAP_SERVERS = KEYS.key("kafka.bootstrap-servers")
            .string("localhost:9092").check("host:port[,host:port...]", v -> !v.isBlank() && v.contains(":"))
            .doc("The Kafka cluster's bootstrap servers.");
    public static final ConfigKey<String> TOPIC_PREFIX = KEYS.key("kafka.topic-prefix").string("")
            .doc("Prefix of every topic name (staging. gives staging.payment-requests); also of the ledger's application id.");
    public static final ConfigKey<GroupMembership.Protocol> GROUP_PROTOCOL = KEYS.key("kafka.group-protocol")
            .oneOf(GroupMembership.Protocol.class, GroupMembership.Protocol.CLASSIC)
            .doc("Consumer group protocol of the worker, retry tiers and db-writer: classic, or consumer (KIP-848:"
                    + " the broker's group.consumer.* settings then decide failure detection). See docs/worker.md.");
    public static final ConfigKey<Duration> SESSION_TIMEOUT = KEYS.key("kafka.session-timeout")
            .duration(GroupMembership.DEFAULT_SESSION_TIMEOUT).between(Duration.ofSeconds(1), Duration.ofMinutes(30))
            .doc("A group member silent this long is dead and its partitions move (classic protocol; the ledger too).");
    public static final ConfigKey<Duration> HEARTBEAT_INTERVAL = KEYS.key("kafka.heartbeat-interval")
            .duration(GroupMembership.DEFAULT_HEARTBEAT_INTERVAL).between(Duration.ofMillis(100), Duration.ofMinutes(10))
            .doc("Heartbeat period of every consumer; at most a third of kafka.session-timeout.");
    public static final ConfigTable.PassThrough CLIENT = KEYS.passThrough("kafka.client.",
            "kafka.client.security.protocol=SASL_SSL",
            "Passed to every Kafka client with the prefix removed (security settings, timeouts); values of names"
                    + " with password, secret, key, token or jaas are masked.");

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
        return new KafkaSettings(config.get(BOOTSTRAP_SERVERS), TopicLayout.withPrefix(config.get(TOPIC_PREFIX)),
                config.withPrefix(CLIENT.prefix()), new GroupMembership(config.get(GROUP_PROTOCOL),
                        config.get(SESSION_TIMEOUT), config.get(HEARTBEAT_INTERVAL)));
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
