package dev.paypipe.json;

import dev.paypipe.model.PaymentRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Request documents for the property tests, built as field name to value so a test controls every byte: written
 * compactly, or reshaped (fields shuffled, whitespace, unknown fields, {@code \\u} escapes) without changing
 * the record.
 */
final class RequestDocuments {
    private RequestDocuments() {
    }

    /** Raw JSON for a field value, written as is. */
    record Raw(String json) {
    }

    /** Field name to value: a String, a metadata Map of strings, or {@link Raw} JSON; in document order. */
    static Map<String, Object> recordOf(PaymentRequest r) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("paymentId", r.paymentId());
        record.put("orderId", r.orderId());
        record.put("amount", r.amount().toPlainString());
        record.put("currency", r.currency());
        record.put("customerId", r.customerId());
        record.put("paymentMethod", r.paymentMethod());
        record.put("createdAt", r.createdAt().toString());
        if (!r.metadata().isEmpty()) {
            record.put("metadata", r.metadata());
        }
        return record;
    }

    private static final List<String> UNKNOWN_VALUES = List.of("1", "-2.5e3", "true", "null", "\"note\"",
            "[1,{\"a\":\"b\"}]", "{\"x\":{\"y\":[]}}", "{\"paymentId\":\"other\"}");
    private static final List<String> UNKNOWN_NAMES = List.of("note", "PaymentId", "amount_", "_v", "payment Id",
            "schema");
    private static final List<String> SPACES = List.of("", " ", "\n", "\t", "\r\n  ");

    /**
     * Writes {@code record} as JSON. With {@code rnd} null: compact, in order, escaping only what JSON requires.
     * Otherwise the same record reshaped: fields shuffled, whitespace around tokens, unknown fields added, and ASCII
     * letters in names and values written as {@code \\u} escapes.
     */
    static byte[] encode(Map<String, Object> record, Random rnd) {
        List<Map.Entry<String, Object>> fields = new ArrayList<>(record.entrySet());
        if (rnd != null) {
            Collections.shuffle(fields, rnd);
            // distinct names: a field twice is a different record (the door refuses it)
            List<String> names = new ArrayList<>(UNKNOWN_NAMES);
            Collections.shuffle(names, rnd);
            for (String name : names.subList(0, rnd.nextInt(4))) {
                fields.add(rnd.nextInt(fields.size() + 1),
                        Map.entry(name, new Raw(UNKNOWN_VALUES.get(rnd.nextInt(UNKNOWN_VALUES.size())))));
            }
        }
        StringBuilder sb = new StringBuilder(256);
        space(sb, rnd).append('{');
        for (int i = 0; i < fields.size(); i++) {
            space(sb, rnd).append(i == 0 ? "" : ",");
            space(sb, rnd);
            string(sb, fields.get(i).getKey(), rnd);
            space(sb, rnd).append(':');
            space(sb, rnd);
            value(sb, fields.get(i).getValue(), rnd);
        }
        space(sb, rnd).append('}');
        space(sb, rnd);
        return utf8(sb.toString());
    }

    private static void value(StringBuilder sb, Object value, Random rnd) {
        if (value instanceof Raw raw) {
            sb.append(raw.json());
        } else if (value instanceof String s) {
            string(sb, s, rnd);
        } else {
            Map<?, ?> map = (Map<?, ?>) value;
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sb.append(first ? "" : ",");
                space(sb, rnd);
                string(sb, (String) e.getKey(), rnd);
                sb.append(':');
                string(sb, (String) e.getValue(), rnd);
                first = false;
            }
            space(sb, rnd).append('}');
        }
    }

    private static void string(StringBuilder sb, String s, Random rnd) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c) || (letter && rnd != null && rnd.nextInt(3) == 0)) {
                // a lone surrogate has no UTF-8 form; escaped, both encodings carry the same char
                String hex = String.format("%04x", (int) c);
                sb.append("\\u").append(rnd != null && rnd.nextBoolean() ? hex.toUpperCase() : hex);
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    private static StringBuilder space(StringBuilder sb, Random rnd) {
        return rnd == null ? sb : sb.append(SPACES.get(rnd.nextInt(SPACES.size())));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
