package dev.paypipe.control;

import dev.paypipe.config.KafkaSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the control topic and applies the fleet's orders to a {@link ControlTarget}. It reads the
 * whole compacted topic from the beginning with its own assignment (no consumer group, so it never
 * rebalances and every process sees every command). History up to the end offsets seen at start is
 * folded into one {@link ControlState} and applied once, so a process that starts while the fleet is
 * paused comes up paused; after that each command is applied as it arrives (poll ≤ 200 ms, so well
 * within a second). Start it, then {@link #awaitCaughtUp(Duration)} before consuming payments.
 */
public final class ControlFollower implements AutoCloseable {
    /** Upper bound on the time between a command reaching the broker and this follower seeing it. */
    public static final Duration DEFAULT_POLL = Duration.ofMillis(200);
    private static final Logger log = LoggerFactory.getLogger(ControlFollower.class);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final ControlTarget target;
    private final Duration pollTimeout;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile ControlState state = ControlState.RUNNING;
    private volatile boolean running = true;
    private Map<TopicPartition, Long> endAtStart;
    private Thread thread;

    public ControlFollower(KafkaSettings kafka, ControlTarget target) {
        this(new KafkaConsumer<>(consumerProperties(kafka), new StringDeserializer(), new ByteArrayDeserializer()),
                kafka.topics().control(), target, DEFAULT_POLL);
    }

    /** With any consumer (tests pass a {@code MockConsumer}); the follower owns and closes it. */
    public ControlFollower(Consumer<String, byte[]> consumer, String topic, ControlTarget target, Duration pollTimeout) {
        this.consumer = consumer;
        this.topic = topic;
        this.target = target;
        this.pollTimeout = pollTimeout;
    }

    static Map<String, Object> consumerProperties(KafkaSettings kafka) {
        Map<String, Object> props = kafka.clientProperties();
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "paypipe-control-" + UUID.randomUUID().toString().substring(0, 8));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("control follower already started");
        }
        thread = new Thread(this::run, "paypipe-control-follower");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Waits until the history present at start has been read and applied.
     *
     * @return false if the topic could not be read within {@code timeout} (the process should not start consuming)
     */
    public boolean awaitCaughtUp(Duration timeout) {
        try {
            return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** The fleet's orders as last read (for status reports). */
    public ControlState state() {
        return state;
    }

    private void run() {
        try {
            while (running) {
                pollOnce();
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.atError().setMessage("control follower stopped: fleet pause/resume no longer reaches this process")
                    .addKeyValue("event", "control_follower_failed").addKeyValue("topic", topic).setCause(e).log();
            throw e;
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** One assignment attempt or poll; the thread's loop body, called directly by unit tests. */
    void pollOnce() {
        if (endAtStart == null && !assign()) {
            return;
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(pollTimeout)) {
            if (ControlTopic.isStatusKey(record.key())) {
                continue;
            }
            ControlMessage message = decode(record);
            if (message == null) {
                continue;
            }
            state = state.apply(message);
            if (isCaughtUp()) {
                applyLive(message);
            }
        }
        if (!isCaughtUp() && endAtStart.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
            applyHistory(state);
            caughtUp.countDown();
        }
    }

    private boolean assign() {
        List<PartitionInfo> partitions;
        try {
            partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            partitions = List.of(); // broker unreachable: same back-off as a missing topic
        }
        if (partitions == null || partitions.isEmpty()) {
            log.atWarn().setMessage("control topic not found yet; retrying")
                    .addKeyValue("event", "control_topic_missing").addKeyValue("topic", topic).log();
            sleepQuietly(pollTimeout);
            return false;
        }
        List<TopicPartition> assignment = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(assignment);
        consumer.seekToBeginning(assignment);
        endAtStart = consumer.endOffsets(assignment);
        return true;
    }

    private ControlMessage decode(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            // a tombstone clears the key: no pause, breaker back to auto
            Instant at = Instant.ofEpochMilli(record.timestamp());
            return ControlTopic.BREAKER_KEY.equals(record.key()) ? new ControlMessage.Breaker(BreakerMode.AUTO, "tombstone", at)
                    : ControlTopic.PAUSE_KEY.equals(record.key()) ? new ControlMessage.Resume("tombstone", at) : null;
        }
        try {
            return ControlCodec.decodeMessage(record.value());
        } catch (ControlCodec.MalformedControlRecordException e) {
            log.atWarn().setMessage("skipping a control record this version cannot read")
                    .addKeyValue("event", "control_record_skipped").addKeyValue("key", record.key())
                    .addKeyValue("offset", record.offset()).addKeyValue("problem", e.getMessage()).log();
            return null;
        }
    }

    private void applyHistory(ControlState folded) {
        log.atInfo().setMessage("control topic read; applying the fleet's standing orders")
                .addKeyValue("event", "control_caught_up").addKeyValue("paused", folded.paused())
                .addKeyValue("pausedBy", folded.pausedBy()).addKeyValue("reason", folded.pauseReason())
                .addKeyValue("breakerMode", folded.breakerMode().cliName()).log();
        guarded("pause", () -> {
            if (folded.paused()) {
                target.pause(folded.pauseReason(), folded.pausedBy());
            }
        });
        guarded("breaker", () -> {
            if (folded.breakerMode() == BreakerMode.FORCE_OPEN) {
                target.breaker(BreakerMode.FORCE_OPEN);
            }
        });
    }

    private void applyLive(ControlMessage message) {
        if (message instanceof ControlMessage.Pause p) {
            log.atWarn().setMessage("fleet pause received").addKeyValue("event", "fleet_pause_received")
                    .addKeyValue("by", p.by()).addKeyValue("reason", p.reason()).addKeyValue("at", p.at()).log();
            guarded("pause", () -> target.pause(p.reason(), p.by()));
        } else if (message instanceof ControlMessage.Resume r) {
            log.atInfo().setMessage("fleet resume received").addKeyValue("event", "fleet_resume_received")
                    .addKeyValue("by", r.by()).addKeyValue("at", r.at()).log();
            guarded("resume", target::resume);
        } else {
            ControlMessage.Breaker b = (ControlMessage.Breaker) message;
            log.atWarn().setMessage("breaker command received").addKeyValue("event", "breaker_command_received")
                    .addKeyValue("mode", b.mode().cliName()).addKeyValue("by", b.by()).addKeyValue("at", b.at()).log();
            guarded("breaker", () -> target.breaker(b.mode()));
        }
    }

    private void guarded(String command, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            // the follower must outlive a failing target, or later commands would never arrive
            log.atError().setMessage("control target failed to apply a command")
                    .addKeyValue("event", "control_apply_failed").addKeyValue("command", command).setCause(e).log();
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis()); // topic-missing back-off; the loop re-checks running
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(Duration.ofSeconds(2));
        }
    }
}
