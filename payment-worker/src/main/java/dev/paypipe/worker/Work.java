package dev.paypipe.worker;

import dev.paypipe.dispatch.OffsetTracker;
import dev.paypipe.gateway.ChargeLookup;
import dev.paypipe.gateway.GatewayOutcome;
import dev.paypipe.model.PaymentRequest;
import dev.paypipe.processing.AttemptHistory;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** One consumed record on its way through the worker. Fields are touched by the poll thread only,
 * except {@code outcome}/{@code lookup}, which a gateway callback sets before handing the work back. */
final class Work {
    final ConsumerRecord<String, byte[]> record;
    final PartitionState partition;
    final OffsetTracker.Slot slot;
    PaymentRequest request;
    AttemptHistory history = AttemptHistory.FRESH;
    /** Outputs sent and not yet acknowledged by the broker. */
    int pendingSends;
    /** When the current gateway call was sent, epoch millis on the loop's clock. */
    long sentAtMillis;
    /** True from the gateway call until the outputs are acknowledged. */
    boolean dispatched;
    /** True while the key is held in the {@code KeySequencer}. */
    boolean holdsKey;
    volatile GatewayOutcome outcome;
    volatile ChargeLookup lookup;

    Work(ConsumerRecord<String, byte[]> record, PartitionState partition, OffsetTracker.Slot slot) {
        this.record = record;
        this.partition = partition;
        this.slot = slot;
    }

    String key() {
        return request != null ? request.paymentId() : record.key();
    }

    String origin() {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
