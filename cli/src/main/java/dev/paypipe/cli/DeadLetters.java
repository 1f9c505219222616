package dev.paypipe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.paypipe.kafka.PaymentHeaders;
import dev.paypipe.model.Masking;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** The pure parts of {@code paypipe dlq}: what a dead letter says, which ones match, how they print and replay. */
final class DeadLetters {
    /** On a replayed request: {@code <dlq-topic>-<partition>@<offset>} of the dead letter it came from. */
    static final String REPLAYED_FROM = PaymentHeaders.REPLAYED_FROM;
    static final String REPLAYED_AT = PaymentHeaders.REPLAYED_AT;
    /** Fields whose values are secrets or card tokens wherever they appear in a dead letter's JSON. */
    private static final Set<String> SECRET_FIELDS = Set.of("paymentmethod", "token", "cardnumber", "pan", "cvc", "cvv");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetters() {
    }

    /** One dead-letter record with its diagnostic headers decoded ({@code deadLetteredAt} null when absent or unreadable). */
    record DeadLetter(String topic, int partition, long offset, String key, Instant deadLetteredAt, String errorClass,
            String errorMessage, String attempts, String origin, ConsumerRecord<String, byte[]> record) {

        static DeadLetter of(ConsumerRecord<String, byte[]> r) {
            var h = r.headers();
            String errorClass = PaymentHeaders.string(h, PaymentHeaders.ERROR_CLASS);
            return new DeadLetter(r.topic(), r.partition(), r.offset(), r.key(), instant(PaymentHeaders.string(h,
                    PaymentHeaders.DEAD_LETTERED_AT)), errorClass == null ? "unknown" : errorClass,
                    PaymentHeaders.string(h, PaymentHeaders.ERROR_MESSAGE), PaymentHeaders.string(h, PaymentHeaders.ATTEMPT),
                    PaymentHeaders.string(h, PaymentHeaders.ORIGIN), r);
        }

        String coordinates() {
            return topic + "-" + partition + "@" + offset;
        }

        private static Instant instant(String v) {
            if (v == null) {
                return null;
            }
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }

    /**
     * Which dead letters an operator means: any of {@code errorClasses} (empty = all), dead-lettered at
     * or after {@code since} and before {@code until} (null = unbounded). A letter without a readable
     * {@code paypipe-dead-lettered-at} falls back to its record timestamp.
     */
    record Filter(Set<String> errorClasses, Instant since, Instant until) {
        Filter {
            errorClasses = Set.copyOf(errorClasses);
        }

        boolean matches(DeadLetter letter) {
            if (!errorClasses.isEmpty() && !errorClasses.contains(letter.errorClass())) {
                return false;
            }
            Instant at = letter.deadLetteredAt() != null ? letter.deadLetteredAt()
                    : Instant.ofEpochMilli(letter.record().timestamp());
            return (since == null || !at.isBefore(since)) && (until == null || at.isBefore(until));
        }
    }

    /**
     * Error classes a replay cannot fix: the request itself is invalid, or it conflicts with the
     * payment's first copy. Replay skips them unless the operator names them with {@code --error-class}.
     */
    static final Set<String> NOT_REPLAYABLE = Set.of("invalid_request", "idempotency_conflict");

    static boolean worthReplaying(DeadLetter letter, Set<String> namedClasses) {
        return namedClasses.contains(letter.errorClass())
                || !NOT_REPLAYABLE.contains(letter.errorClass().toLowerCase(java.util.Locale.ROOT));
    }

    /** Counts by error class, sorted by class name. */
    static Map<String, Long> countsByClass(List<DeadLetter> letters) {
        Map<String, Long> counts = new TreeMap<>();
        letters.forEach(l -> counts.merge(l.errorClass(), 1L, Long::sum));
        return counts;
    }

    /**
     * The record value fit to print: JSON with every secret field ({@code paymentMethod}, tokens, card
     * numbers) masked at any depth; anything that is not JSON is never printed, only its size, because
     * it may hold a token in a shape we cannot see.
     */
    static String maskedValue(byte[] value) {
        if (value == null) {
            return "<tombstone>";
        }
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isContainerNode()) {
            return "<" + value.length + " bytes, not a JSON object: not shown>";
        }
        mask(node);
        return node.toString();
    }

    private static void mask(JsonNode node) {
        if (node instanceof ObjectNode obj) {
            Iterator<Map.Entry<String, JsonNode>> fields = obj.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (SECRET_FIELDS.contains(f.getKey().toLowerCase(java.util.Locale.ROOT))) {
                    f.setValue(TextNode.valueOf(f.getValue().isTextual() ? Masking.token(f.getValue().asText()) : "****"));
                } else {
                    mask(f.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(DeadLetters::mask);
        }
    }

    /**
     * The replay of a request dead letter: raw value and key unchanged (the payment id stays the
     * idempotency key), the caller's own headers kept, paypipe's attempt and error headers dropped so
     * the replay starts a fresh attempt history, and {@value #REPLAYED_FROM} / {@value #REPLAYED_AT} added.
     */
    static ProducerRecord<String, byte[]> replay(DeadLetter letter, String requestsTopic, Instant now) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : letter.record().headers()) {
            if (!h.key().startsWith("paypipe-")) {
                headers.add(h);
            }
        }
        PaymentHeaders.put(headers, REPLAYED_FROM, letter.coordinates());
        PaymentHeaders.put(headers, REPLAYED_AT, now.toString());
        return new ProducerRecord<>(requestsTopic, null, letter.key(), letter.record().value(), headers);
    }
}
