package dev.paypipe.control;

import dev.paypipe.kafka.TopicAdmin.TopicSpec;
import dev.paypipe.kafka.TopicLayout;
import java.util.Map;

/**
 * Layout of the compacted {@code paypipe-control} topic: the fleet's pause state under
 * {@value #PAUSE_KEY}, the breaker command under {@value #BREAKER_KEY}, and one heartbeat per live
 * process under {@value #STATUS_PREFIX}{@code <instance-id>} (a tombstone when it stops cleanly).
 */
public final class ControlTopic {
    public static final String PAUSE_KEY = "fleet/pause";
    public static final String BREAKER_KEY = "fleet/breaker";
    public static final String STATUS_PREFIX = "status/";

    private ControlTopic() {
    }

    /**
     * One partition (a total order of commands), compacted; hourly segments so heartbeats are
     * compacted away within hours instead of the broker's default week, which keeps a start-up
     * read of the whole topic short.
     */
    public static TopicSpec spec(TopicLayout topics) {
        return new TopicSpec(topics.control(), 1, Map.of(
                "cleanup.policy", "compact",
                "segment.ms", "3600000",
                "min.cleanable.dirty.ratio", "0.1",
                "delete.retention.ms", "3600000"));
    }

    public static String statusKey(String instanceId) {
        return STATUS_PREFIX + instanceId;
    }

    public static boolean isStatusKey(String key) {
        return key != null && key.startsWith(STATUS_PREFIX);
    }
}
