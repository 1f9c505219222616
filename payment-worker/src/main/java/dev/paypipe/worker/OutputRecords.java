package dev.paypipe.worker;

import dev.paypipe.json.PaymentJson;
import dev.paypipe.kafka.PaymentHeaders;
import dev.paypipe.kafka.TopicLayout;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.processing.Decision;
import java.time.Clock;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the records the worker publishes: results (to the ledger's outcomes topic, or straight to
 * results without a ledger), retry progress for the ledger, retries and dead letters, with their headers.
 */
final class OutputRecords {
    private final TopicLayout topics;
    private final String resultsTopic;
    private final Clock clock;

    OutputRecords(TopicLayout topics, WorkerConfig.Intake intake, Clock clock) {
        this.topics = topics;
        this.resultsTopic = intake.resultsTopic(topics);
        this.clock = clock;
    }

    ProducerRecord<String, byte[]> result(PaymentResult result) {
        return new ProducerRecord<>(resultsTopic, result.paymentId(), PaymentJson.encodeResult(result));
    }

    /**
     * Tells the ledger that a payment is waiting for retry attempt n: an empty value on the outcomes
     * topic with {@link PaymentHeaders#PROGRESS}, the attempt count, the due time and the last error.
     */
    ProducerRecord<String, byte[]> progress(Work work, Decision.Retry retry) {
        RecordHeaders headers = new RecordHeaders();
        PaymentHeaders.put(headers, PaymentHeaders.PROGRESS, PaymentHeaders.PROGRESS_RETRYING);
        PaymentHeaders.put(headers, PaymentHeaders.ATTEMPT, retry.history().attempts());
        PaymentHeaders.put(headers, PaymentHeaders.DUE_AT, retry.dueAt().toEpochMilli());
        PaymentHeaders.put(headers, PaymentHeaders.LAST_ERROR_CLASS, retry.history().lastErrorClass());
        return new ProducerRecord<>(resultsTopic, null, work.key(), new byte[0], headers);
    }

    /** The original request bytes to its retry tier, with the due time and the attempt history. */
    ProducerRecord<String, byte[]> retry(Work work, Decision.Retry retry) {
        RecordHeaders headers = copyHeaders(work);
        RetryHeaders.put(headers, retry.history(), retry.dueAt());
        if (headers.lastHeader(PaymentHeaders.ORIGIN) == null) {
            PaymentHeaders.put(headers, PaymentHeaders.ORIGIN, work.origin());
        }
        return new ProducerRecord<>(topics.retryTier(retry.tier()), null, work.key(), work.record.value(), headers);
    }

    /** The original key, value and headers, plus why, how often and where from. */
    ProducerRecord<String, byte[]> deadLetter(Work work, Decision.DeadLetterReason reason) {
        RecordHeaders headers = copyHeaders(work);
        PaymentHeaders.put(headers, PaymentHeaders.ERROR_CLASS, reason.errorClass());
        PaymentHeaders.put(headers, PaymentHeaders.ERROR_MESSAGE, reason.message());
        PaymentHeaders.put(headers, PaymentHeaders.ATTEMPT, reason.attempts());
        if (headers.lastHeader(PaymentHeaders.ORIGIN) == null) {
            PaymentHeaders.put(headers, PaymentHeaders.ORIGIN, work.origin());
        }
        PaymentHeaders.put(headers, PaymentHeaders.DEAD_LETTERED_AT, clock.instant().toString());
        return new ProducerRecord<>(topics.requestsDlq(), null, work.record.key(), work.record.value(), headers);
    }

    private static RecordHeaders copyHeaders(Work work) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : work.record.headers()) {
            headers.add(h);
        }
        return headers;
    }
}
