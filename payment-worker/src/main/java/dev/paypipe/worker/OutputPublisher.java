package dev.paypipe.worker;

import dev.paypipe.processing.Decision;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Output publishing and acks: sends the records of a decision (result, plus a dead letter; or retry,
 * plus a progress record for the ledger), re-sends any send that failed, and finishes a record's offset
 * only when every one of its outputs is acknowledged. Producer callbacks only enqueue; the poll thread
 * drains them in {@link #drainAcks()}.
 */
final class OutputPublisher implements Dispatcher.Decided {
    private static final Logger log = LoggerFactory.getLogger(OutputPublisher.class);

    private final Producer<String, byte[]> producer;
    private final OutputRecords records;
    private final WorkerMetrics metrics;
    private final boolean progressForLedger;
    private final ConcurrentLinkedQueue<Work> acks = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<FailedSend> failedSends = new ConcurrentLinkedQueue<>();

    private record FailedSend(Work work, ProducerRecord<String, byte[]> record, Exception error) {
    }

    /** @param progressForLedger whether retries also report progress on the outcomes topic ({@code Intake.LEDGER}) */
    OutputPublisher(Producer<String, byte[]> producer, OutputRecords records, WorkerMetrics metrics,
            boolean progressForLedger) {
        this.producer = producer;
        this.records = records;
        this.metrics = metrics;
        this.progressForLedger = progressForLedger;
    }

    @Override
    public void decided(Work work, Decision decision) {
        publish(work, decision);
    }

    /** Sends the outputs of {@code decision}: a Finish or a Retry ({@code ChargeAgain} never leaves dispatch). */
    void publish(Work work, Decision decision) {
        if (!work.dispatched) {
            work.partition.active++; // dispatched work is already counted until its outputs are acknowledged
        }
        if (decision instanceof Decision.Finish finish) {
            send(work, records.result(finish.result()), true);
            metrics.result(finish.result().status());
            if (finish.deadLetter() != null) {
                send(work, records.deadLetter(work, finish.deadLetter()), true);
                metrics.deadLetter();
                // The error class only: a message may quote the gateway's answer.
                log.atWarn().setMessage("payment dead-lettered").addKeyValue("event", "dead_lettered")
                        .addKeyValue("paymentId", work.key()).addKeyValue("status", finish.result().status())
                        .addKeyValue("errorClass", finish.deadLetter().errorClass())
                        .addKeyValue("attempts", finish.deadLetter().attempts()).addKeyValue("origin", work.origin())
                        .log();
            }
        } else if (decision instanceof Decision.Retry retry) {
            send(work, records.retry(work, retry), true);
            if (progressForLedger) {
                send(work, records.progress(work, retry), true);
            }
            metrics.retry(retry.tier());
            log.atInfo().setMessage("payment retry scheduled").addKeyValue("event", "retry_scheduled")
                    .addKeyValue("paymentId", work.key()).addKeyValue("attempt", retry.history().attempts())
                    .addKeyValue("tier", retry.tier().toString()).addKeyValue("dueAt", retry.dueAt().toString())
                    .addKeyValue("errorClass", retry.history().lastErrorClass()).log();
        } else {
            throw new IllegalStateException("not an output decision for " + work.origin() + ": " + decision);
        }
    }

    /** Re-publishes a retry record unchanged to the end of its own tier topic. */
    void sendToBack(Work work) {
        work.partition.active++;
        ConsumerRecord<String, byte[]> r = work.record;
        send(work, new ProducerRecord<>(r.topic(), null, r.key(), r.value(), r.headers()), true);
    }

    private void send(Work work, ProducerRecord<String, byte[]> record, boolean fresh) {
        if (fresh) {
            work.pendingSends++;
        }
        producer.send(record, (metadata, error) -> {
            if (error == null) {
                acks.add(work);
            } else {
                failedSends.add(new FailedSend(work, record, error));
            }
        });
    }

    /** Finishes the offsets of work whose outputs are all acknowledged, and sends failed outputs again. */
    void drainAcks() {
        Work work;
        while ((work = acks.poll()) != null) {
            if (--work.pendingSends == 0) {
                work.partition.active--;
                if (!work.partition.revoked) {
                    work.partition.offsets.finish(work.slot);
                }
            }
        }
        FailedSend failed;
        while ((failed = failedSends.poll()) != null) {
            // Never drop an output: the offset stays uncommitted and the record is sent again.
            log.atError().setMessage("publishing an output failed: retrying; offsets stay uncommitted")
                    .addKeyValue("event", "publish_failed").addKeyValue("topic", failed.record().topic())
                    .addKeyValue("key", failed.record().key()).addKeyValue("error", failed.error().toString()).log();
            send(failed.work(), failed.record(), false);
        }
    }

    /** Sends everything buffered now (before a drain waits for acknowledgements). */
    void flush() {
        producer.flush();
    }
}
