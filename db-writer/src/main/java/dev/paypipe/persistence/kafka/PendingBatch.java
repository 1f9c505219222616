package dev.paypipe.persistence.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A poll batch from the moment it is fetched until its offsets are committed, including while it
 * waits for the database to come back. Its records stay uncommitted all that time.
 */
final class PendingBatch {
    private final List<ConsumerRecord<byte[], byte[]>> records;
    /** Dead letters still to publish once the database part is committed; null until then. */
    List<DeadLetter> deadLetters;
    int failures;
    long nextAttemptNanos;

    PendingBatch(ConsumerRecords<byte[], byte[]> polled) {
        records = new ArrayList<>(polled.count());
        polled.forEach(records::add);
    }

    List<ConsumerRecord<byte[], byte[]>> records() {
        return records;
    }

    void add(ConsumerRecords<byte[], byte[]> polled) {
        polled.forEach(records::add);
        deadLetters = null; // the database part must cover the new records too
    }

    boolean databaseDone() {
        return deadLetters != null;
    }

    /** Drops the records of partitions this consumer no longer owns: their new owner re-reads them. */
    void retainOnly(Collection<TopicPartition> owned) {
        records.removeIf(r -> !owned.contains(new TopicPartition(r.topic(), r.partition())));
        deadLetters = null;
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    /**
     * The offsets to commit: one past the last record of each partition. A poll returns each partition's
     * records together and in offset order, so one entry is made per run of a partition, not per record.
     */
    Map<TopicPartition, OffsetAndMetadata> nextOffsets() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        int i = 0;
        while (i < records.size()) {
            ConsumerRecord<byte[], byte[]> first = records.get(i);
            long next = first.offset() + 1;
            int j = i + 1;
            for (; j < records.size() && records.get(j).partition() == first.partition()
                    && records.get(j).topic().equals(first.topic()); j++) {
                next = Math.max(next, records.get(j).offset() + 1);
            }
            offsets.merge(new TopicPartition(first.topic(), first.partition()), new OffsetAndMetadata(next),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
            i = j;
        }
        return offsets;
    }
}
