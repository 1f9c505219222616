package dev.paypipe.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.paypipe.model.Masking;
import dev.paypipe.model.PaymentRequest;
import dev.paypipe.model.PaymentRequestValidator;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.Instants;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.model.RequestCheck;
import dev.paypipe.model.RequestRules;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON contract of {@code payment-requests} and {@code payment-results} (schemas in
 * {@code docs/schemas}). Streaming Jackson, no data binding: one pass per record, no intermediate
 * tree, and precise problems for every invalid field. Unknown fields are ignored. Thread-safe.
 */
public final class PaymentJson {
    /** Bounds what a hostile producer can make us allocate for one record. */
    public static final int MAX_DOCUMENT_BYTES = 64 * 1024;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(8)
                    .maxStringLength(MAX_DOCUMENT_BYTES)
                    .maxNumberLength(64)
                    .build())
            .build();

    /** The door's parser: a field that appears twice is an error instead of "the last one wins". */
    private static final JsonFactory STRICT_FACTORY = FACTORY.rebuild()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

    private PaymentJson() {
    }

    // ---------------------------------------------------------------- requests

    /**
     * Decodes and validates a request, reporting every problem; never throws on bad input. The worker's own
     * check: lenient where the ledger's door is strict (see {@link #decodeRequest(byte[], byte[], RequestRules)}).
     */
    public static RequestCheck decodeRequest(byte[] json) {
        RequestFields f = new RequestFields();
        RequestCheck early = parse(FACTORY, json, f);
        if (early != null) {
            return early;
        }
        return PaymentRequestValidator.check(f.paymentId, f.orderId, f.amount, f.currency, f.customerId,
                f.paymentMethod, f.createdAt, f.metadata, f.problems);
    }

    /**
     * The ledger's door check of one record: strict UTF-8 for key and value (overlong encodings, surrogates and
     * truncated sequences refused), no byte-order mark, no NUL byte, no field twice, the key present and equal to
     * {@code paymentId}, printable text fields, a token (not a card number) as payment method, and
     * {@code createdAt} within the window of {@code rules}. Never throws on bad input.
     *
     * @param key the raw record key, may be null
     */
    public static RequestCheck decodeRequest(byte[] key, byte[] value, RequestRules rules) {
        List<String> keyProblems = new ArrayList<>(0);
        String keyText = null;
        if (key == null) {
            keyProblems.add("key: missing; the record key must be the paymentId");
        } else if (key.length == 0) {
            keyProblems.add("key: empty; the record key must be the paymentId");
        } else {
            keyText = Utf8Text.decode(key);
            if (keyText == null) {
                keyProblems.add("key: not valid UTF-8");
            }
        }
        String encoding = Utf8Text.bodyProblem(value);
        if (encoding != null) {
            keyProblems.add(encoding);
            return RequestCheck.invalid(null, null, keyProblems);
        }
        RequestFields f = new RequestFields();
        f.problems.addAll(keyProblems);
        RequestCheck early = parse(STRICT_FACTORY, value, f);
        if (early != null) {
            return early;
        }
        return PaymentRequestValidator.checkStrict(keyText, f.paymentId, f.orderId, f.amount, f.currency,
                f.customerId, f.paymentMethod, f.createdAt, f.metadata, f.problems, rules);
    }

    /** The raw field values of one request document, as the parser found them. */
    private static final class RequestFields {
        String paymentId;
        String orderId;
        String amount;
        String currency;
        String customerId;
        String paymentMethod;
        String createdAt;
        Map<String, String> metadata;
        final List<String> problems = new ArrayList<>(0);
    }

    /** Fills {@code f}; returns a finished invalid check when the document cannot be read at all, else null. */
    private static RequestCheck parse(JsonFactory factory, byte[] json, RequestFields f) {
        List<String> problems = f.problems;
        if (json == null || json.length == 0) {
            problems.add("body: empty record (expected a JSON object)");
            return RequestCheck.invalid(null, null, problems);
        }
        if (json.length > MAX_DOCUMENT_BYTES) {
            problems.add("body: " + json.length + " bytes exceeds the limit of " + MAX_DOCUMENT_BYTES);
            return RequestCheck.invalid(null, null, problems);
        }
        try (JsonParser p = factory.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                problems.add("body: expected a JSON object");
                return RequestCheck.invalid(null, null, problems);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "paymentId" -> f.paymentId = text(p, t, field, problems);
                    case "orderId" -> f.orderId = text(p, t, field, problems);
                    case "amount" -> f.amount = amountText(p, t, problems);
                    case "currency" -> f.currency = text(p, t, field, problems);
                    case "customerId" -> f.customerId = text(p, t, field, problems);
                    case "paymentMethod" -> f.paymentMethod = text(p, t, field, problems);
                    case "createdAt" -> f.createdAt = text(p, t, field, problems);
                    case "metadata" -> f.metadata = metadata(p, t, problems);
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                problems.add("body: trailing content after the JSON object");
            }
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            if (message != null && message.startsWith("Duplicate field")) {
                problems.add("body: field '" + duplicateField(message) + "' appears twice" + at(e)
                        + " (which one is meant?); send each field once");
            } else {
                problems.add("body: malformed JSON" + at(e) + ": " + maskTokens(message));
            }
            return RequestCheck.invalid(f.paymentId, f.orderId, problems);
        } catch (CharConversionException e) {
            // Jackson reads 00 00 00 7B as UTF-32 and refuses code points beyond U+10FFFF with this IOException
            problems.add("body: not valid text (" + e.getMessage() + "); the value must be UTF-8");
            return RequestCheck.invalid(f.paymentId, f.orderId, problems);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return null;
    }

    public static byte[] encodeRequest(PaymentRequest r) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(256);
                JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("paymentId", r.paymentId());
            g.writeStringField("orderId", r.orderId());
            g.writeStringField("amount", r.amount().toPlainString());
            g.writeStringField("currency", r.currency());
            g.writeStringField("customerId", r.customerId());
            g.writeStringField("paymentMethod", r.paymentMethod());
            g.writeStringField("createdAt", r.createdAt().toString());
            if (!r.metadata().isEmpty()) {
                g.writeObjectFieldStart("metadata");
                for (Map.Entry<String, String> e : r.metadata().entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- results

    public static byte[] encodeResult(PaymentResult r) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(320);
                JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("paymentId", r.paymentId());
            writeNullable(g, "orderId", r.orderId());
            g.writeStringField("status", r.status().name());
            writeNullable(g, "amount", r.amount() == null ? null : r.amount().toPlainString());
            writeNullable(g, "currency", r.currency());
            writeNullable(g, "gatewayReference", r.gatewayReference());
            writeNullable(g, "declineCode", r.declineCode());
            writeNullable(g, "errorClass", r.errorClass());
            writeNullable(g, "reason", r.reason());
            g.writeNumberField("attempts", r.attempts());
            writeNullable(g, "requestedAt", r.requestedAt() == null ? null : r.requestedAt().toString());
            g.writeStringField("completedAt", r.completedAt().toString());
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decodes a result.
     *
     * @throws MalformedResultException naming the problem when the bytes break the contract
     */
    public static PaymentResult decodeResult(byte[] json) {
        if (json == null || json.length == 0) {
            throw new MalformedResultException("empty record (expected a PaymentResult JSON object)");
        }
        String paymentId = null;
        String orderId = null;
        String status = null;
        String amount = null;
        String currency = null;
        String gatewayReference = null;
        String declineCode = null;
        String errorClass = null;
        String reason = null;
        int attempts = 0;
        String requestedAt = null;
        String completedAt = null;
        List<String> problems = new ArrayList<>(0);
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedResultException("expected a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "paymentId" -> paymentId = text(p, t, field, problems);
                    case "orderId" -> orderId = text(p, t, field, problems);
                    case "status" -> status = text(p, t, field, problems);
                    case "amount" -> amount = amountText(p, t, problems);
                    case "currency" -> currency = text(p, t, field, problems);
                    case "gatewayReference" -> gatewayReference = text(p, t, field, problems);
                    case "declineCode" -> declineCode = text(p, t, field, problems);
                    case "errorClass" -> errorClass = text(p, t, field, problems);
                    case "reason" -> reason = text(p, t, field, problems);
                    case "attempts" -> {
                        if (t == JsonToken.VALUE_NUMBER_INT) {
                            attempts = p.getIntValue();
                        } else {
                            problems.add("attempts: must be an integer");
                        }
                    }
                    case "requestedAt" -> requestedAt = text(p, t, field, problems);
                    case "completedAt" -> completedAt = text(p, t, field, problems);
                    default -> p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw new MalformedResultException("malformed JSON" + at(e) + ": " + maskTokens(e.getOriginalMessage()), e);
        } catch (CharConversionException e) {
            throw new MalformedResultException("not valid text (" + e.getMessage() + "); the value must be UTF-8", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (paymentId == null || paymentId.isEmpty()) {
            problems.add("paymentId: required");
        }
        PaymentStatus parsedStatus = null;
        if (status == null) {
            problems.add("status: required");
        } else {
            try {
                parsedStatus = PaymentStatus.valueOf(status);
            } catch (IllegalArgumentException e) {
                problems.add("status: unknown value '" + status + "'");
            }
        }
        BigDecimal parsedAmount = null;
        if (amount != null) {
            try {
                parsedAmount = new BigDecimal(amount);
            } catch (NumberFormatException e) {
                problems.add("amount: not a decimal");
            }
        }
        if (attempts < 0) {
            problems.add("attempts: must be >= 0");
        }
        Instant requested = instant(requestedAt, "requestedAt", problems);
        Instant completed = instant(completedAt, "completedAt", problems);
        if (completedAt == null) {
            problems.add("completedAt: required");
        }
        if (!problems.isEmpty()) {
            throw new MalformedResultException(String.join("; ", problems));
        }
        return new PaymentResult(paymentId, orderId, parsedStatus, parsedAmount, currency, gatewayReference,
                declineCode, errorClass, reason, attempts, requested, completed);
    }

    // ---------------------------------------------------------------- helpers

    private static Instant instant(String text, String field, List<String> problems) {
        if (text == null) {
            return null;
        }
        try {
            return Instants.parse(text);
        } catch (DateTimeParseException e) {
            problems.add(field + ": not an ISO-8601 instant");
            return null;
        }
    }

    /**
     * Jackson quotes the offending input ({@code Unrecognized token 'tok_visa_4242424242'}), which may be
     * an unquoted payment method; these messages reach results, dead-letter headers and logs.
     */
    private static String maskTokens(String message) {
        if (message == null) {
            return "";
        }
        Matcher m = QUOTED.matcher(message);
        StringBuilder sb = new StringBuilder(message.length());
        while (m.find()) {
            String quoted = m.group(1);
            m.appendReplacement(sb, Matcher.quoteReplacement("'" + (quoted.length() > 8 ? Masking.token(quoted) : quoted)
                    + "'"));
        }
        return m.appendTail(sb).toString();
    }

    /**
     * The name from Jackson's {@code Duplicate field 'paymentId'}: a field name, not a value, so shown in full
     * (names such as {@code paymentId} are longer than {@link #maskTokens} keeps) but cut short and with any card-like
     * digit run masked by {@link PaymentRequestValidator#printable}.
     */
    private static String duplicateField(String message) {
        Matcher m = QUOTED.matcher(message);
        return m.find() ? PaymentRequestValidator.printable(m.group(1)) : "?";
    }

    /** Constraint violations (nesting depth, string length) carry no location. */
    private static String at(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " at offset " + e.getLocation().getByteOffset();
    }

    private static void writeNullable(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    private static String text(JsonParser p, JsonToken t, String field, List<String> problems) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t != JsonToken.VALUE_NULL) {
            problems.add(field + ": must be a string, was " + describe(t));
            p.skipChildren();
        }
        return null;
    }

    /** The contract says a decimal string; a bare JSON number is refused because it may have lost precision. */
    private static String amountText(JsonParser p, JsonToken t, List<String> problems) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            problems.add("amount: must be a decimal string such as \"12.50\", not a JSON number");
            return null;
        }
        if (t != JsonToken.VALUE_NULL) {
            problems.add("amount: must be a decimal string, was " + describe(t));
            p.skipChildren();
        }
        return null;
    }

    private static Map<String, String> metadata(JsonParser p, JsonToken t, List<String> problems)
            throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            problems.add("metadata: must be an object of strings, was " + describe(t));
            p.skipChildren();
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_STRING) {
                map.put(key, p.getText());
            } else {
                problems.add("metadata." + PaymentRequestValidator.printable(key) + ": must be a string, was "
                        + describe(v));
                p.skipChildren();
            }
        }
        return map;
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }
}
