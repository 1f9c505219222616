package dev.paypipe.worker;

import dev.paypipe.kafka.PaymentHeaders;
import dev.paypipe.processing.AttemptHistory;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;

/**
 * The attempt history as retry tier records carry it: {@link PaymentHeaders#ATTEMPT},
 * {@link PaymentHeaders#AMBIGUOUS}, first and last error class, {@link #AMBIGUOUS_UNTIL} and the due
 * time. The worker writes and reads them; {@code paypipe reconcile} writes them to re-drive a payment.
 */
public final class RetryHeaders {
    /** Epoch millis: the deadline of the latest call that may have charged (see {@link AttemptHistory#ambiguousUntil()}). */
    public static final String AMBIGUOUS_UNTIL = "paypipe-ambiguous-until";
    /** Set by {@code paypipe reconcile} on a re-driven UNKNOWN payment: who re-drove it ({@code reconcile}). */
    public static final String REDRIVEN_BY = "paypipe-redriven-by";
    /** On a re-driven payment: the attempts its earlier, UNKNOWN series made (the new series starts at 0). */
    public static final String PRIOR_ATTEMPTS = "paypipe-prior-attempts";

    private RetryHeaders() {
    }

    /** The history a retry record carries; a record without the headers reads as a fresh request. */
    public static AttemptHistory history(Headers headers) {
        long until = PaymentHeaders.longValue(headers, AMBIGUOUS_UNTIL, -1);
        return new AttemptHistory(
                (int) Math.max(0, PaymentHeaders.longValue(headers, PaymentHeaders.ATTEMPT, 0)),
                "true".equals(PaymentHeaders.string(headers, PaymentHeaders.AMBIGUOUS)),
                PaymentHeaders.string(headers, PaymentHeaders.FIRST_ERROR_CLASS),
                PaymentHeaders.string(headers, PaymentHeaders.LAST_ERROR_CLASS),
                until < 0 ? null : Instant.ofEpochMilli(until));
    }

    /** Writes {@code history} and the due time, replacing earlier values. */
    public static void put(Headers headers, AttemptHistory history, Instant dueAt) {
        PaymentHeaders.put(headers, PaymentHeaders.ATTEMPT, history.attempts());
        PaymentHeaders.put(headers, PaymentHeaders.DUE_AT, dueAt.toEpochMilli());
        PaymentHeaders.put(headers, PaymentHeaders.AMBIGUOUS, Boolean.toString(history.ambiguous()));
        PaymentHeaders.put(headers, PaymentHeaders.FIRST_ERROR_CLASS, history.firstErrorClass());
        PaymentHeaders.put(headers, PaymentHeaders.LAST_ERROR_CLASS, history.lastErrorClass());
        PaymentHeaders.put(headers, AMBIGUOUS_UNTIL,
                history.ambiguousUntil() == null ? null : Long.toString(history.ambiguousUntil().toEpochMilli()));
    }
}
