package dev.paypipe.ledger;

import dev.paypipe.json.MalformedResultException;
import dev.paypipe.json.PaymentJson;
import dev.paypipe.kafka.PaymentHeaders;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's exit, on {@code payment-outcomes}: the first final result of a payment passes to
 * {@code payment-results}, and so does one settled result (APPROVED, DECLINED, FAILED) after an UNKNOWN, one
 * result of any status after the door admitted a replay (the entry is REPLAYING), and an APPROVED after a FAILED (a
 * re-processed attempt of a crashed worker charged after all: the money moved, so the client must hear it); every
 * other result is a repeat and is dropped. Retry progress records only update the payment's entry. Results are written in
 * the Streams transaction with the store's change, so a read_committed client sees each payment's result once, however
 * often an at-least-once worker re-publishes it.
 */
final class ExitProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private static final Logger log = LoggerFactory.getLogger(ExitProcessor.class);

    private final Clock clock;
    private final LedgerMetrics metrics;
    private final CommitPacer pacer;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, LedgerEntry> store;

    /** {@code pacer} is shared with the door and every other task of the instance */
    ExitProcessor(Clock clock, LedgerMetrics metrics, CommitPacer pacer) {
        this.clock = clock;
        this.metrics = metrics;
        this.pacer = pacer;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.store = context.getStateStore(LedgerTopology.STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (pacer.commitNow(record.timestamp(), clock.millis())) {
            context.commit();
        }
        if (record.headers().lastHeader(PaymentHeaders.PROGRESS) != null) {
            progress(record);
            return;
        }
        PaymentResult result;
        try {
            result = PaymentJson.decodeResult(record.value());
        } catch (MalformedResultException e) {
            deadLetter(record, "malformed_result", e.getMessage());
            return;
        }
        String paymentId = record.key() == null ? result.paymentId() : new String(record.key(), StandardCharsets.UTF_8);
        LedgerEntry entry = store.get(paymentId);
        boolean settlement = entry != null && entry.awaitsSettlement() && settles(result.status());
        boolean chargedAfterFailed = entry != null && entry.isFinal() && entry.status() == PaymentStatus.FAILED
                && result.status() == PaymentStatus.APPROVED;
        if (entry != null && entry.isFinal() && !settlement && !chargedAfterFailed) {
            metrics.onRepeatDropped();
            log.atDebug().setMessage("repeated result dropped").addKeyValue("event", "result_repeat_dropped")
                    .addKeyValue("paymentId", paymentId).addKeyValue("status", result.status())
                    .addKeyValue("finalStatus", entry.status()).log();
            return;
        }
        LedgerEntry base = entry != null ? entry : LedgerEntry.accepted(null, clock.millis());
        store.put(paymentId, base.finished(result.status(), result.attempts(), result.errorClass(), record.value(),
                clock.millis()));
        context.forward(record.withKey(paymentId.getBytes(StandardCharsets.UTF_8)), LedgerTopology.EXIT_RESULTS_SINK);
        metrics.onPassed();
        if (entry != null && entry.phase() == LedgerEntry.Phase.REPLAYING) {
            metrics.onReplayResult();
            log.atInfo().setMessage("result of a replayed payment passed").addKeyValue("event", "replay_result")
                    .addKeyValue("paymentId", paymentId).addKeyValue("status", result.status())
                    .addKeyValue("previousStatus", entry.status()).addKeyValue("replays", entry.replays()).log();
        }
        if (chargedAfterFailed) {
            // The worker is at-least-once: if it dies after publishing FAILED and before committing the
            // record's offset, its successor makes one more attempt, which may charge. Hiding that charge
            // behind the first FAILED would be worse than a second result: the truth passes, once.
            metrics.onChargedAfterFailed();
            log.atWarn().setMessage("a payment published FAILED was charged by a re-processed attempt; its APPROVED "
                    + "result passes so clients learn the truth").addKeyValue("event", "charged_after_failed")
                    .addKeyValue("paymentId", paymentId).log();
        }
        if (settlement) {
            metrics.onSettlement();
            log.atInfo().setMessage("UNKNOWN payment settled").addKeyValue("event", "payment_settled")
                    .addKeyValue("paymentId", paymentId).addKeyValue("status", result.status()).log();
        }
        if (entry == null) {
            log.atWarn().setMessage("result for a payment the ledger has no entry for passed")
                    .addKeyValue("event", "result_without_entry").addKeyValue("paymentId", paymentId)
                    .addKeyValue("status", result.status()).log();
        }
    }

    /** Only a result that says what really happened settles an UNKNOWN; another UNKNOWN or a REJECTED does not. */
    private static boolean settles(PaymentStatus status) {
        return status == PaymentStatus.APPROVED || status == PaymentStatus.DECLINED || status == PaymentStatus.FAILED;
    }

    private void progress(Record<byte[], byte[]> record) {
        if (record.key() == null) {
            return;
        }
        String paymentId = new String(record.key(), StandardCharsets.UTF_8);
        LedgerEntry entry = store.get(paymentId);
        if (entry == null || entry.isFinal()) {
            return; // a late report about a payment that is already final (or expired) changes nothing
        }
        Headers h = record.headers();
        int attempt = (int) PaymentHeaders.longValue(h, PaymentHeaders.ATTEMPT, entry.attempts());
        long due = PaymentHeaders.longValue(h, PaymentHeaders.DUE_AT, 0);
        store.put(paymentId, entry.retrying(attempt, due, PaymentHeaders.string(h, PaymentHeaders.LAST_ERROR_CLASS),
                clock.millis()));
    }

    /** An outcome that is not a PaymentResult is a worker bug: keep it for operators on payment-results-dlq. */
    private void deadLetter(Record<byte[], byte[]> record, String errorClass, String message) {
        RecordMetadata md = context.recordMetadata().orElseThrow();
        String origin = md.topic() + "-" + md.partition() + "@" + md.offset();
        Headers headers = new RecordHeaders();
        for (Header h : record.headers()) {
            headers.add(h);
        }
        PaymentHeaders.put(headers, PaymentHeaders.ERROR_CLASS, errorClass);
        PaymentHeaders.put(headers, PaymentHeaders.ERROR_MESSAGE, message);
        PaymentHeaders.put(headers, PaymentHeaders.ORIGIN, origin);
        PaymentHeaders.put(headers, PaymentHeaders.DEAD_LETTERED_AT, clock.instant().toString());
        context.forward(record.withHeaders(headers), LedgerTopology.RESULTS_DLQ_SINK);
        log.atError().setMessage("malformed outcome dead-lettered").addKeyValue("event", "malformed_outcome")
                .addKeyValue("origin", origin).addKeyValue("problem", message).log();
    }
}
