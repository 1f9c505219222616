package dev.paypipe.persistence.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PendingBatchTest {
    private static final TopicPartition P0 = new TopicPartition("results", 0);
    private static final TopicPartition P1 = new TopicPartition("results", 1);

    private static ConsumerRecord<byte[], byte[]> record(TopicPartition tp, long offset) {
        return new ConsumerRecord<>(tp.topic(), tp.partition(), offset, new byte[0], new byte[0]);
    }

    @Test
    void commitsOnePastTheLastRecordOfEachPartition() {
        PendingBatch batch = new PendingBatch(new ConsumerRecords<>(Map.of(
                P0, List.of(record(P0, 10), record(P0, 11), record(P0, 12)),
                P1, List.of(record(P1, 3))), Map.of()));

        assertThat(batch.nextOffsets()).isEqualTo(Map.of(P0, new OffsetAndMetadata(13), P1, new OffsetAndMetadata(4)));
    }

    @Test
    void aPartitionPolledAgainAfterAnotherKeepsItsHighestOffset() {
        PendingBatch batch = new PendingBatch(new ConsumerRecords<>(Map.of(P0, List.of(record(P0, 5), record(P0, 6))),
                Map.of()));
        batch.add(new ConsumerRecords<>(Map.of(P1, List.of(record(P1, 40))), Map.of()));
        batch.add(new ConsumerRecords<>(Map.of(P0, List.of(record(P0, 7))), Map.of()));

        assertThat(batch.nextOffsets()).isEqualTo(Map.of(P0, new OffsetAndMetadata(8), P1, new OffsetAndMetadata(41)));
    }

    @Test
    void recordsOfRevokedPartitionsLeaveTheOffsetsToo() {
        PendingBatch batch = new PendingBatch(new ConsumerRecords<>(Map.of(
                P0, List.of(record(P0, 1)), P1, List.of(record(P1, 2))), Map.of()));

        batch.retainOnly(Set.of(P1));

        assertThat(batch.nextOffsets()).isEqualTo(Map.of(P1, new OffsetAndMetadata(3)));
    }
}
