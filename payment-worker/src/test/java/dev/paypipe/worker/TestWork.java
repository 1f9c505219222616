package dev.paypipe.worker;

import dev.paypipe.json.PaymentJson;
import dev.paypipe.kafka.PaymentHeaders;
import dev.paypipe.testing.TestPayments;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/** Records and work items for the loop's room tests. */
final class TestWork {
    private TestWork() {
    }

    static ConsumerRecord<String, byte[]> record(TopicPartition tp, long offset, String key, byte[] value,
            RecordHeaders headers) {
        return new ConsumerRecord<>(tp.topic(), tp.partition(), offset, 0L, TimestampType.CREATE_TIME, -1, -1, key,
                value, headers, Optional.empty());
    }

    /** A valid request for {@code paymentId}. */
    static ConsumerRecord<String, byte[]> request(TopicPartition tp, long offset, String paymentId) {
        return record(tp, offset, paymentId, PaymentJson.encodeRequest(TestPayments.request(paymentId)),
                new RecordHeaders());
    }

    /** A valid request on a retry tier, due at {@code dueAtMillis}. */
    static ConsumerRecord<String, byte[]> retry(TopicPartition tp, long offset, String paymentId, long dueAtMillis) {
        RecordHeaders h = new RecordHeaders();
        PaymentHeaders.put(h, PaymentHeaders.DUE_AT, dueAtMillis);
        PaymentHeaders.put(h, PaymentHeaders.ATTEMPT, 1);
        return record(tp, offset, paymentId, PaymentJson.encodeRequest(TestPayments.request(paymentId)), h);
    }

    /** Tracked work for a decoded request, as intake hands it on. */
    static Work work(PartitionState ps, ConsumerRecord<String, byte[]> record) {
        Work work = new Work(record, ps, ps.offsets.track(record.offset()));
        work.request = PaymentJson.decodeRequest(record.value()).request();
        return work;
    }
}
