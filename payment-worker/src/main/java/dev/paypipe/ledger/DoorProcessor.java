package dev.paypipe.ledger;

import dev.paypipe.json.PaymentJson;
import dev.paypipe.json.Utf8Text;
import dev.paypipe.kafka.PaymentHeaders;
import dev.paypipe.model.PaymentRequestValidator;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.model.RequestCheck;
import dev.paypipe.model.RequestRules;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's door, on {@code payment-requests}: the strict contract check, then the store decides. A new valid
 * payment goes on to {@code payment-accepted}; a copy with the same fingerprint is dropped; a copy with a different
 * one is dead-lettered as {@code idempotency_conflict}; an invalid request is dead-lettered and, unless its
 * paymentId already has an outcome, answered REJECTED. A request that sits on another partition than its paymentId's
 * is first re-published to that partition of the reroute topic, so it meets its payment's entry. A replayed copy
 * ({@code paypipe-replayed-from}) of a FAILED or UNKNOWN payment goes on again ({@link ReplayRule}).
 */
final class DoorProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private static final Logger log = LoggerFactory.getLogger(DoorProcessor.class);
    /** Carries a rerouted record's own key (null value: it had none), since the reroute record is keyed by paymentId. */
    static final String ORIGINAL_KEY = "paypipe-ledger-original-key";
    private static final int MAX_HEADER_MESSAGE = 2000;

    private final LedgerTopology.Settings settings;
    private final RequestRules rules;
    private final CommitPacer pacer;
    private final Clock clock;
    private final LedgerMetrics metrics;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, LedgerEntry> store;

    /** {@code pacer} is shared with the exit and every other task of the instance */
    DoorProcessor(LedgerTopology.Settings settings, Clock clock, LedgerMetrics metrics, CommitPacer pacer) {
        this.settings = settings;
        this.rules = new RequestRules(clock, settings.createdAtSkew(), settings.retention());
        this.clock = clock;
        this.metrics = metrics;
        this.pacer = pacer;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.store = context.getStateStore(LedgerTopology.STORE);
        context.schedule(settings.expiryInterval(), PunctuationType.WALL_CLOCK_TIME, ignored -> expire());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (pacer.commitNow(record.timestamp(), clock.millis())) {
            context.commit();
        }
        RecordMetadata md = context.recordMetadata().orElseThrow();
        boolean rerouted = md.topic().equals(settings.topics().reroute());
        Header original = rerouted ? record.headers().lastHeader(ORIGINAL_KEY) : null;
        byte[] rawKey = original != null ? original.value() : record.key();
        String origin = rerouted && PaymentHeaders.string(record.headers(), PaymentHeaders.ORIGIN) != null
                ? PaymentHeaders.string(record.headers(), PaymentHeaders.ORIGIN)
                : md.topic() + "-" + md.partition() + "@" + md.offset();

        RequestCheck check = PaymentJson.decodeRequest(rawKey, record.value(), rules);
        String paymentId = ledgerKey(check, rawKey);
        if (paymentId != null && !rerouted) {
            int home = partitionFor(paymentId, settings.partitions());
            if (home != md.partition()) {
                reroute(record, paymentId, origin);
                return;
            }
        }
        if (!check.isValid()) {
            reject(record, rawKey, check, paymentId, origin);
            return;
        }
        LedgerEntry entry = store.get(paymentId);
        Fingerprint fingerprint = Fingerprint.of(check.request());
        String replayedFrom = PaymentHeaders.string(record.headers(), PaymentHeaders.REPLAYED_FROM);
        if (entry == null) {
            store.put(paymentId, LedgerEntry.accepted(fingerprint, clock.millis()));
            Headers headers = copyHeaders(record.headers());
            context.forward(new Record<>(utf8(paymentId), record.value(),
                    record.timestamp(), headers), LedgerTopology.ACCEPTED_SINK);
            metrics.onAccepted();
        } else if (entry.fingerprint() != null && !entry.fingerprint().equals(fingerprint)) {
            conflict(record, rawKey, paymentId, entry, fingerprint, origin);
        } else if (replayedFrom != null) {
            replay(record, paymentId, entry, replayedFrom, origin);
        } else {
            metrics.onDuplicate();
            log.atDebug().setMessage("duplicate request dropped").addKeyValue("event", "duplicate_dropped")
                    .addKeyValue("paymentId", paymentId).addKeyValue("phase", entry.phase())
                    .addKeyValue("origin", origin).log();
        }
    }

    private void conflict(Record<byte[], byte[]> record, byte[] rawKey, String paymentId, LedgerEntry entry,
            Fingerprint fingerprint, String origin) {
        String differs = entry.fingerprint().differences(fingerprint);
        String message = "paymentId " + paymentId + " was first requested with other values (" + differs
                + " differ); the first request stands and this copy is not charged: use a new paymentId for a "
                + "different payment";
        deadLetter(record, rawKey, LedgerTopology.IDEMPOTENCY_CONFLICT, message, origin);
        metrics.onConflict();
        log.atWarn().setMessage("conflicting copy of a payment refused").addKeyValue("event", "idempotency_conflict")
                .addKeyValue("paymentId", paymentId).addKeyValue("differs", differs)
                .addKeyValue("phase", entry.phase()).addKeyValue("replayedFrom", PaymentHeaders.string(record.headers(),
                        PaymentHeaders.REPLAYED_FROM)).addKeyValue("origin", origin).log();
    }

    /**
     * A request that {@code paypipe dlq replay} re-published, with the first request's fingerprint. Only a FINAL
     * FAILED (certainly not charged) or UNKNOWN (may have charged: the gateway's idempotency key answers with the first
     * charge) payment is re-driven; anything else would either contradict a settled result or run two attempt series
     * for one payment at once.
     */
    private void replay(Record<byte[], byte[]> record, String paymentId, LedgerEntry entry, String replayedFrom,
            String origin) {
        String refusal = ReplayRule.refusal(entry);
        if (refusal != null) {
            metrics.onReplayRefused();
            log.atWarn().setMessage("replay refused: " + refusal).addKeyValue("event", "replay_refused")
                    .addKeyValue("paymentId", paymentId).addKeyValue("phase", entry.phase())
                    .addKeyValue("status", entry.status()).addKeyValue("reason", refusal)
                    .addKeyValue("replayedFrom", replayedFrom).addKeyValue("origin", origin).log();
            return;
        }
        LedgerEntry replaying = entry.replaying(clock.millis());
        store.put(paymentId, replaying);
        context.forward(new Record<>(utf8(paymentId), record.value(), record.timestamp(),
                copyHeaders(record.headers())), LedgerTopology.ACCEPTED_SINK);
        metrics.onReplayAdmitted();
        log.atInfo().setMessage("replayed payment admitted").addKeyValue("event", "replay_admitted")
                .addKeyValue("paymentId", paymentId).addKeyValue("previousStatus", entry.status())
                .addKeyValue("replays", replaying.replays()).addKeyValue("replayedFrom", replayedFrom)
                .addKeyValue("origin", origin).log();
    }

    private void reject(Record<byte[], byte[]> record, byte[] rawKey, RequestCheck check, String paymentId,
            String origin) {
        String reason = check.describeProblems();
        LedgerEntry entry = paymentId == null ? null : store.get(paymentId);
        metrics.onRejected();
        if (entry != null) {
            // The payment already has an outcome (or is under way): a second, REJECTED result would contradict it.
            deadLetter(record, rawKey, "invalid_request", reason + " (an invalid copy of a known payment: its first "
                    + "request stands)", origin);
            log.atWarn().setMessage("invalid copy of a known payment dead-lettered").addKeyValue("event", "payment_rejected")
                    .addKeyValue("paymentId", paymentId).addKeyValue("origin", origin).addKeyValue("problems", reason)
                    .log();
            return;
        }
        String resultId = paymentId != null ? paymentId : "invalid:" + origin;
        Instant now = clock.instant();
        // The orderId as sent, for correlation, but without the characters it may have been refused for.
        String orderId = PaymentRequestValidator.withUnprintableReplaced(check.orderId());
        PaymentResult result = new PaymentResult(resultId, orderId, PaymentStatus.REJECTED, null, null, null,
                null, "invalid_request", reason, 0, null, now);
        byte[] json = PaymentJson.encodeResult(result);
        if (paymentId != null) {
            store.put(paymentId, LedgerEntry.rejected(json, now.toEpochMilli()));
        }
        context.forward(new Record<>(utf8(resultId), json, record.timestamp(), new RecordHeaders()),
                LedgerTopology.DOOR_RESULTS_SINK);
        deadLetter(record, rawKey, "invalid_request", reason, origin);
        log.atWarn().setMessage("invalid request rejected").addKeyValue("event", "payment_rejected")
                .addKeyValue("paymentId", resultId).addKeyValue("origin", origin).addKeyValue("problems", reason).log();
    }

    private void reroute(Record<byte[], byte[]> record, String paymentId, String origin) {
        Headers headers = copyHeaders(record.headers());
        headers.add(ORIGINAL_KEY, record.key());
        if (headers.lastHeader(PaymentHeaders.ORIGIN) == null) {
            PaymentHeaders.put(headers, PaymentHeaders.ORIGIN, origin);
        }
        context.forward(new Record<>(utf8(paymentId), record.value(), record.timestamp(), headers),
                LedgerTopology.REROUTE_SINK);
        metrics.onRerouted();
        log.atDebug().setMessage("request on a foreign partition rerouted").addKeyValue("event", "request_rerouted")
                .addKeyValue("paymentId", paymentId).addKeyValue("origin", origin).log();
    }

    /** The original key, value and headers, plus why and where from; never the token (it is only in the value). */
    private void deadLetter(Record<byte[], byte[]> record, byte[] rawKey, String errorClass, String message,
            String origin) {
        Headers headers = copyHeaders(record.headers());
        PaymentHeaders.put(headers, PaymentHeaders.ERROR_CLASS, errorClass);
        PaymentHeaders.put(headers, PaymentHeaders.ERROR_MESSAGE,
                message.length() > MAX_HEADER_MESSAGE ? message.substring(0, MAX_HEADER_MESSAGE) + "..." : message);
        PaymentHeaders.put(headers, PaymentHeaders.ATTEMPT, 0);
        PaymentHeaders.put(headers, PaymentHeaders.ORIGIN, origin);
        PaymentHeaders.put(headers, PaymentHeaders.DEAD_LETTERED_AT, clock.instant().toString());
        context.forward(new Record<>(rawKey, record.value(), record.timestamp(), headers),
                LedgerTopology.REQUESTS_DLQ_SINK);
    }

    /** Deletes entries unchanged for longer than the retention; runs on wall-clock time. */
    private void expire() {
        long cutoff = clock.millis() - settings.retention().toMillis();
        int deleted = 0;
        try (KeyValueIterator<String, LedgerEntry> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, LedgerEntry> kv = it.next();
                if (kv.value.updatedAt() < cutoff) {
                    store.delete(kv.key);
                    deleted++;
                }
            }
        }
        if (deleted > 0) {
            log.atInfo().setMessage("expired ledger entries deleted").addKeyValue("event", "ledger_entries_expired")
                    .addKeyValue("deleted", deleted).addKeyValue("retention", settings.retention().toString())
                    .addKeyValue("partition", context.taskId().partition()).log();
        }
    }

    /**
     * The id the ledger files this record under: its paymentId when well-formed, else its record key when that is a
     * well-formed paymentId, else none (the record is rejected without touching the store).
     */
    static String ledgerKey(RequestCheck check, byte[] rawKey) {
        if (PaymentRequestValidator.isValidPaymentId(check.paymentId())) {
            return check.paymentId();
        }
        String key = rawKey == null ? null : Utf8Text.decode(rawKey);
        return PaymentRequestValidator.isValidPaymentId(key) ? key : null;
    }

    /** The partition Kafka's default partitioner picks for this key (murmur2 of its UTF-8 bytes). */
    static int partitionFor(String paymentId, int partitions) {
        return Utils.toPositive(Utils.murmur2(utf8(paymentId))) % partitions;
    }

    private static Headers copyHeaders(Headers source) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : source) {
            if (!h.key().equals(ORIGINAL_KEY)) {
                headers.add(h);
            }
        }
        return headers;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
