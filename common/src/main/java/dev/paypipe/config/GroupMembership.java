package dev.paypipe.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How paypipe's consumer groups notice a dead member: the group protocol and, for the classic protocol, the
 * session timeout and heartbeat interval every consumer (worker, retry tiers, db-writer, the ledger's Streams
 * threads) asks for. Why these defaults and what each choice measured: docs/worker.md, "Fail-over".
 *
 * @param protocol          {@code kafka.group-protocol}: {@code classic} (default) or {@code consumer} (KIP-848;
 *                          then the broker's {@code group.consumer.session.timeout.ms} and
 *                          {@code group.consumer.heartbeat.interval.ms} decide, not this record)
 * @param sessionTimeout    {@code kafka.session-timeout}: a member silent this long is dead and its partitions move
 *                          (default 6 s, the smallest a default broker accepts: {@code group.min.session.timeout.ms})
 * @param heartbeatInterval {@code kafka.heartbeat-interval}: at most a third of the session timeout (default 1.5 s)
 */
public record GroupMembership(Protocol protocol, Duration sessionTimeout, Duration heartbeatInterval) {
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(6);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMillis(1500);

    /** The group protocol of plain consumers; the ledger's Streams application stays classic either way. */
    public enum Protocol {
        CLASSIC, CONSUMER;

        public String kafkaName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public GroupMembership {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        if (heartbeatInterval.multipliedBy(3).compareTo(sessionTimeout) > 0) {
            throw new ConfigException("kafka.heartbeat-interval", "invalid config kafka.heartbeat-interval="
                    + heartbeatInterval + ": must be at most a third of kafka.session-timeout (" + sessionTimeout
                    + "), or one late heartbeat evicts a live member");
        }
    }

    public static GroupMembership defaults() {
        return new GroupMembership(Protocol.CLASSIC, DEFAULT_SESSION_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL);
    }

    public GroupMembership withProtocol(Protocol other) {
        return new GroupMembership(other, sessionTimeout, heartbeatInterval);
    }

    /**
     * Puts the group settings of a plain consumer into {@code props}: the protocol, and for {@code classic} the
     * session timeout, heartbeat interval and the cooperative-sticky assignor (a rebalance moves only the
     * partitions that change owner). The new protocol refuses those three client keys, so they are removed.
     */
    void applyTo(Map<String, Object> props) {
        props.put("group.protocol", protocol.kafkaName());
        if (protocol == Protocol.CLASSIC) {
            props.put("session.timeout.ms", (int) sessionTimeout.toMillis());
            props.put("heartbeat.interval.ms", (int) heartbeatInterval.toMillis());
            props.put("partition.assignment.strategy",
                    "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        } else {
            props.remove("session.timeout.ms");
            props.remove("heartbeat.interval.ms");
            props.remove("partition.assignment.strategy");
        }
    }
}
