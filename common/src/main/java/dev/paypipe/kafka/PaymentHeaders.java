package dev.paypipe.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Header names that paypipe sets on retry and dead-letter records, and small codecs for them. */
public final class PaymentHeaders {
    /** Charge attempts made so far (decimal). */
    public static final String ATTEMPT = "paypipe-attempt";
    /** Epoch millis before which a retry record must not be processed. */
    public static final String DUE_AT = "paypipe-due-at";
    public static final String FIRST_ERROR_CLASS = "paypipe-first-error-class";
    public static final String LAST_ERROR_CLASS = "paypipe-last-error-class";
    /** Set when any earlier attempt may have reached the gateway's ledger. */
    public static final String AMBIGUOUS = "paypipe-ambiguous";
    public static final String ERROR_CLASS = "paypipe-error-class";
    public static final String ERROR_MESSAGE = "paypipe-error-message";
    /** {@code topic-partition@offset} of the record that was dead-lettered. */
    public static final String ORIGIN = "paypipe-origin";
    public static final String DEAD_LETTERED_AT = "paypipe-dead-lettered-at";
    /**
     * On {@code payment-outcomes}: marks a record that is not a result but a progress report (value
     * empty), e.g. {@link #PROGRESS_RETRYING} with {@link #ATTEMPT}, {@link #DUE_AT}, {@link #LAST_ERROR_CLASS}.
     */
    public static final String PROGRESS = "paypipe-progress";
    public static final String PROGRESS_RETRYING = "retrying";
    /**
     * On a request re-published by {@code paypipe dlq replay}: {@code <dlq-topic>-<partition>@<offset>} of the dead
     * letter it came from. The ledger's door admits such a request again for a FAILED or UNKNOWN payment.
     */
    public static final String REPLAYED_FROM = "paypipe-replayed-from";
    /** On a replayed request: when the replay was sent (ISO-8601 instant). */
    public static final String REPLAYED_AT = "paypipe-replayed-at";

    private PaymentHeaders() {
    }

    public static String string(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    public static long longValue(Headers headers, String name, long fallback) {
        String s = string(headers, name);
        if (s == null) {
            return fallback;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    public static void put(Headers headers, String name, String value) {
        headers.remove(name);
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    public static void put(Headers headers, String name, long value) {
        put(headers, name, Long.toString(value));
    }
}
