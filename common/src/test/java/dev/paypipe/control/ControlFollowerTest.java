package dev.paypipe.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ControlFollowerTest {
    private static final String TOPIC = "paypipe-control";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final Instant AT = Instant.parse("2026-12-02T01:00:00Z");

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    private final RecordingTarget target = new RecordingTarget();
    private long nextOffset;

    @BeforeEach
    void topicWithOnePartition() {
        Node node = new Node(0, "localhost", 9092);
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, node, new Node[] {node}, new Node[] {node})));
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
    }

    @Test
    void aProcessThatStartsWhileTheFleetIsPausedComesUpPausedWithoutReplayingHistory() {
        List<ConsumerRecord<String, byte[]>> history = List.of(
                record(ControlTopic.PAUSE_KEY, new ControlMessage.Pause("first outage", "alice", AT)),
                record(ControlTopic.PAUSE_KEY, new ControlMessage.Resume("alice", AT.plusSeconds(60))),
                record(ControlTopic.statusKey("worker-9"), null),
                record(ControlTopic.PAUSE_KEY, new ControlMessage.Pause("gateway outage INC-42", "bob", AT.plusSeconds(120))));
        consumer.updateEndOffsets(Map.of(TP, nextOffset));
        ControlFollower follower = follower();

        follower.pollOnce(); // assigns and seeks to the beginning
        history.forEach(consumer::addRecord);
        follower.pollOnce();

        assertThat(follower.isCaughtUp()).isTrue();
        assertThat(target.calls).containsExactly("pause(gateway outage INC-42,bob)");
        assertThat(follower.state().paused()).isTrue();
        assertThat(follower.state().pausedBy()).isEqualTo("bob");
    }

    @Test
    void anEmptyTopicMeansRunningAndCatchesUpAtOnce() {
        consumer.updateEndOffsets(Map.of(TP, 0L));
        ControlFollower follower = follower();

        follower.pollOnce();

        assertThat(follower.isCaughtUp()).isTrue();
        assertThat(follower.awaitCaughtUp(Duration.ZERO)).isTrue();
        assertThat(target.calls).isEmpty();
        assertThat(follower.state()).isEqualTo(ControlState.RUNNING);
    }

    @Test
    void appliesEachLiveCommandInOrderOnceCaughtUp() {
        consumer.updateEndOffsets(Map.of(TP, 0L));
        ControlFollower follower = follower();
        follower.pollOnce();

        consumer.addRecord(record(ControlTopic.PAUSE_KEY, new ControlMessage.Pause("outage", "alice", AT)));
        consumer.addRecord(record(ControlTopic.BREAKER_KEY, new ControlMessage.Breaker(BreakerMode.FORCE_OPEN, "alice", AT)));
        consumer.addRecord(record(ControlTopic.PAUSE_KEY, new ControlMessage.Resume("alice", AT)));
        consumer.addRecord(record(ControlTopic.BREAKER_KEY, new ControlMessage.Breaker(BreakerMode.RESET, "alice", AT)));
        follower.pollOnce();

        assertThat(target.calls).containsExactly("pause(outage,alice)", "breaker(FORCE_OPEN)", "resume", "breaker(RESET)");
        assertThat(follower.state().paused()).isFalse();
        assertThat(follower.state().breakerMode()).isEqualTo(BreakerMode.AUTO);
    }

    @Test
    void aForcedOpenBreakerInHistoryIsAppliedAtStartButAPastResetIsNot() {
        List<ConsumerRecord<String, byte[]>> history = List.of(
                record(ControlTopic.BREAKER_KEY, new ControlMessage.Breaker(BreakerMode.RESET, "a", AT)),
                record(ControlTopic.BREAKER_KEY, new ControlMessage.Breaker(BreakerMode.FORCE_OPEN, "a", AT)));
        consumer.updateEndOffsets(Map.of(TP, nextOffset));
        ControlFollower follower = follower();
        follower.pollOnce();
        assertThat(follower.isCaughtUp()).as("history not read yet").isFalse();

        history.forEach(consumer::addRecord);
        follower.pollOnce();

        assertThat(target.calls).containsExactly("breaker(FORCE_OPEN)");
        assertThat(follower.state().paused()).isFalse();
    }

    @Test
    void skipsUnreadableRecordsAndTombstonesClearTheirKey() {
        consumer.updateEndOffsets(Map.of(TP, 0L));
        ControlFollower follower = follower();
        follower.pollOnce();

        consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, nextOffset++, ControlTopic.PAUSE_KEY, "garbage".getBytes()));
        consumer.addRecord(record(ControlTopic.PAUSE_KEY, new ControlMessage.Pause("outage", "alice", AT)));
        consumer.addRecord(record(ControlTopic.PAUSE_KEY, null));
        follower.pollOnce();

        assertThat(target.calls).containsExactly("pause(outage,alice)", "resume");
        assertThat(follower.state().paused()).isFalse();
    }

    @Test
    void aFailingTargetDoesNotStopLaterCommands() {
        consumer.updateEndOffsets(Map.of(TP, 0L));
        target.failNext = true;
        ControlFollower follower = follower();
        follower.pollOnce();

        consumer.addRecord(record(ControlTopic.PAUSE_KEY, new ControlMessage.Pause("outage", "alice", AT)));
        consumer.addRecord(record(ControlTopic.PAUSE_KEY, new ControlMessage.Resume("alice", AT)));
        follower.pollOnce();

        assertThat(target.calls).containsExactly("pause(outage,alice)", "resume");
    }

    private ControlFollower follower() {
        return new ControlFollower(consumer, TOPIC, target, Duration.ofMillis(10));
    }

    private ConsumerRecord<String, byte[]> record(String key, ControlMessage message) {
        return new ConsumerRecord<>(TOPIC, 0, nextOffset++, key, message == null ? null : ControlCodec.encode(message));
    }

    static final class RecordingTarget implements ControlTarget {
        final List<String> calls = new ArrayList<>();
        boolean failNext;

        @Override
        public void pause(String reason, String by) {
            calls.add("pause(" + reason + "," + by + ")");
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("worker not started yet");
            }
        }

        @Override
        public void resume() {
            calls.add("resume");
        }

        @Override
        public void breaker(BreakerMode mode) {
            calls.add("breaker(" + mode + ")");
        }
    }
}
