package dev.paypipe.cli;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Records of one topic that a consumer group has not committed yet (end offset minus committed offset).
 * On a topic written by transactions the last offset of a partition is usually a commit marker, which
 * no consumer ever commits past: {@code transactional} discounts one offset per partition for it.
 */
public final class IntakeLag implements AutoCloseable {
    private final Admin admin;
    private final String topic;
    private final String groupId;
    private final boolean transactional;
    private Map<TopicPartition, OffsetSpec> partitions;

    public IntakeLag(Map<String, Object> clientProperties, String topic, String groupId, boolean transactional) {
        this.admin = Admin.create(clientProperties);
        this.topic = topic;
        this.groupId = groupId;
        this.transactional = transactional;
    }

    /**
     * The lag summed over the topic's partitions; -1 when the broker did not answer within a second.
     * Called from one thread at a time (the partitions are looked up once).
     */
    public long lag() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(1, TimeUnit.SECONDS);
            if (partitions == null) {
                partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(1, TimeUnit.SECONDS)
                        .get(topic).partitions().stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(partitions).all()
                    .get(1, TimeUnit.SECONDS);
            long lag = 0;
            for (var e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                long behind = e.getValue().offset() - (c == null ? 0 : c.offset());
                lag += transactional ? Math.max(0, behind - 1) : behind;
            }
            return lag;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (ExecutionException | TimeoutException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
