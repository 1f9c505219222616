package dev.paypipe.worker;

import dev.paypipe.json.PaymentJson;
import dev.paypipe.kafka.PaymentHeaders;
import dev.paypipe.model.RequestCheck;
import dev.paypipe.processing.Decision;
import dev.paypipe.processing.PaymentProcessor;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decode and tier gate: turns each polled record into {@link Work}, holds a retry tier partition on a
 * head that is not yet due ({@link TierGate}), decodes and validates the request, reads its attempt
 * history from the retry headers, and hands it on: valid work to dispatch, an invalid request
 * straight to the outputs as REJECTED. Owned by the poll thread; touches the consumer only to rewind
 * and pause a held partition.
 */
final class RecordIntake {
    private static final Logger log = LoggerFactory.getLogger(RecordIntake.class);

    /** Where intake hands records on; the loop wires it to the dispatcher and the outputs. */
    interface Handoff {
        /** A valid request, ready to be sequenced by key and sent to the gateway. */
        void admit(Work work);

        /** A record finished without a gateway call (an invalid request). */
        void finish(Work work, Decision decision);

        /** A retry record due later than its tier allows: to the back of its tier, unchanged. */
        void sendToBack(Work work);
    }

    private final AssignedPartitions partitions;
    private final TierGate gate;
    private final PaymentProcessor processor;
    private final Consumer<String, byte[]> consumer;
    private final Handoff handoff;

    RecordIntake(AssignedPartitions partitions, TierGate gate, PaymentProcessor processor,
            Consumer<String, byte[]> consumer, Handoff handoff) {
        this.partitions = partitions;
        this.gate = gate;
        this.processor = processor;
        this.consumer = consumer;
        this.handoff = handoff;
    }

    void accept(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            PartitionState ps = partitions.get(tp);
            if (ps == null || ps.revoked) {
                continue;
            }
            for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
                if (ps.retryTier) {
                    long due = PaymentHeaders.longValue(record.headers(), PaymentHeaders.DUE_AT, 0);
                    TierGate.Verdict verdict = gate.check(ps, record.offset(), due);
                    if (verdict == TierGate.Verdict.HOLD) {
                        // The records behind it stay unread: the next fetch after the resume starts here.
                        consumer.seek(tp, record.offset());
                        consumer.pause(List.of(tp));
                        break;
                    }
                    if (verdict == TierGate.Verdict.SEND_TO_BACK) {
                        handoff.sendToBack(new Work(record, ps, ps.offsets.track(record.offset())));
                        continue;
                    }
                }
                admit(new Work(record, ps, ps.offsets.track(record.offset())));
            }
        }
    }

    private void admit(Work work) {
        RequestCheck check = PaymentJson.decodeRequest(work.record.value());
        if (!check.isValid()) {
            String fallback = work.record.key() != null && !work.record.key().isEmpty() ? work.record.key()
                    : "invalid:" + work.origin();
            log.atWarn().setMessage("invalid request rejected").addKeyValue("event", "payment_rejected")
                    .addKeyValue("paymentId", fallback).addKeyValue("origin", work.origin()).addKeyValue("problems", check.describeProblems()).log();
            handoff.finish(work, processor.rejectInvalid(check, fallback));
            return;
        }
        work.request = check.request();
        if (work.partition.retryTier) {
            work.history = RetryHeaders.history(work.record.headers());
        }
        handoff.admit(work);
    }
}
