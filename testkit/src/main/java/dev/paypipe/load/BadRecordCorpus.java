package dev.paypipe.load;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hostile records for {@code payment-requests}: each a kind of bad input an order service (or an attacker behind
 * one) could publish, with the reason the ledger's door must give. Generated, not stored, so every run gets fresh
 * payment ids ({@code prefix-NNN}) and a {@code createdAt} inside the door's window of {@code now}.
 */
public final class BadRecordCorpus {
    /** The record header that names the corpus entry; the door copies headers onto the dead letter. */
    public static final String ENTRY_HEADER = "paypipe-corpus-entry";
    /** The Kafka producer's default {@code max.request.size} is 1 MiB; one megabyte of JSON fits under it. */
    public static final int ONE_MEGABYTE = 1_000_000;
    /** The raw card numbers the corpus sends as payment methods: none may be echoed in a result, header or log. */
    public static final List<String> CARD_NUMBERS = List.of("4242424242424242", "4242 4242 4242 4242",
            "5555-5555-5555-4444");

    /**
     * One bad record.
     *
     * @param name what is wrong, in a few words (unique within the corpus)
     * @param key the record key, may be null
     * @param value the record value, may be null (a tombstone)
     * @param reason a part of the problem the door must name in the REJECTED result and the dead letter
     * @param filedUnder the paymentId the ledger files it under (the REJECTED result's key), or null when the record
     *     has no usable id and its result is named by its origin ({@code invalid:topic-partition@offset})
     */
    public record BadRecord(String name, byte[] key, byte[] value, String reason, String filedUnder) {
        public String keyText() {
            return key == null ? null : new String(key, StandardCharsets.UTF_8);
        }
    }

    private final String prefix;
    private final Instant now;
    private final List<BadRecord> records = new ArrayList<>();

    private BadRecordCorpus(String prefix, Instant now) {
        this.prefix = prefix;
        this.now = now;
    }

    /** Every entry once, ids {@code prefix-000} upwards; {@code now} is the door's clock, for a valid createdAt. */
    public static List<BadRecord> generate(String prefix, Instant now) {
        BadRecordCorpus c = new BadRecordCorpus(prefix, now);
        c.malformedJson();
        c.wrongTypes();
        c.missingFields();
        c.amounts();
        c.currencies();
        c.metadata();
        c.nesting();
        c.characters();
        c.encodings();
        c.duplicates();
        c.keys();
        c.sizes();
        c.cardNumbers();
        c.createdAt();
        return List.copyOf(c.records);
    }

    // ------------------------------------------------------------------ the kinds

    private void malformedJson() {
        raw("not JSON at all", "not json", "body: malformed JSON");
        raw("truncated object", doc(id()).render().replaceFirst(".$", ""), "body: malformed JSON");
        raw("trailing comma", doc(id()).render().replaceFirst("}$", ",}"), "body: malformed JSON");
        raw("single quotes", doc(id()).render().replace('"', '\''), "body: malformed JSON");
        raw("unquoted field names", doc(id()).render().replace("\"paymentId\"", "paymentId"), "body: malformed JSON");
        raw("comment before the object", "/* hi */" + doc(id()).render(), "body: malformed JSON");
        raw("NaN amount", doc(id()).with("amount", "NaN").render(), "body: malformed JSON");
        raw("array instead of object", "[" + doc(id()).render() + "]", "body: expected a JSON object");
        raw("JSON string instead of object", "\"pay\"", "body: expected a JSON object");
        raw("JSON number instead of object", "42", "body: expected a JSON object");
        raw("JSON null literal", "null", "body: expected a JSON object");
        raw("whitespace only", "   \n ", "body: expected a JSON object");
        raw("two objects back to back", doc(id()).render() + doc(id()).render(), "body: trailing content");
    }

    private void wrongTypes() {
        broken("paymentId as a number", d -> d.with("paymentId", "123"), "paymentId: must be a string, was a number");
        broken("amount as a JSON number", d -> d.with("amount", "12.5"), "amount: must be a decimal string such as");
        broken("amount as a boolean", d -> d.with("amount", "true"), "amount: must be a decimal string, was a boolean");
        broken("currency as an array", d -> d.with("currency", "[\"EUR\"]"), "currency: must be a string, was an array");
        broken("customerId as an object", d -> d.with("customerId", "{\"id\":\"c\"}"),
                "customerId: must be a string, was an object");
        broken("paymentMethod as an object", d -> d.with("paymentMethod", "{\"token\":\"tok_1\"}"),
                "paymentMethod: must be a string, was an object");
        broken("createdAt as epoch millis", d -> d.with("createdAt", String.valueOf(now.toEpochMilli())),
                "createdAt: must be a string, was a number");
        broken("metadata as a string", d -> d.with("metadata", "\"web\""), "metadata: must be an object of strings");
        broken("metadata value as a number", d -> d.with("metadata", "{\"n\":5}"), "metadata.n: must be a string");
    }

    private void missingFields() {
        for (String field : List.of("orderId", "amount", "currency", "customerId", "paymentMethod", "createdAt")) {
            broken("missing " + field, d -> d.without(field), field + ": required");
        }
        broken("missing paymentId (key still names it)", d -> d.without("paymentId"), "paymentId: required");
        broken("empty object", d -> d.only(), "paymentId: required");
        broken("amount null", d -> d.with("amount", "null"), "amount: required");
        broken("blank orderId", d -> d.with("orderId", "\"   \""), "orderId: must not be blank");
    }

    private void amounts() {
        amount("zero amount", "0", "amount: must be greater than zero");
        amount("zero with decimals", "0.00", "amount: must be greater than zero");
        amount("negative amount", "-5.00", "amount: must be greater than zero");
        amount("amount above the limit", "10000000000000000", "amount: must be at most 9999999999999999");
        amount("sixty-digit amount", "1" + "0".repeat(60), "amount: must be at most");
        amount("exponent notation", "1e3", "amount: exponent notation is not allowed");
        amount("leading plus", "+5.00", "amount: must be ASCII digits");
        amount("leading dot", ".5", "amount: must be ASCII digits");
        amount("trailing dot", "5.", "amount: must be ASCII digits");
        amount("Arabic-Indic digits", "\u0661\u0662", "amount: must be ASCII digits");
        amount("amount in words", "twelve", "amount: must be a decimal string");
        amount("decimal comma", "12,50", "amount: must be a decimal string");
        amount("empty amount", "", "amount: must be a decimal string");
        amount("amount with a space", " 12.50", "amount: must be a decimal string");
        amount("three decimals in EUR", "12.505", "amount: EUR allows 2 fraction digits");
        amount("trailing zero beyond EUR's cents", "12.500", "amount: EUR allows 2 fraction digits");
        broken("decimals in JPY", d -> d.with("currency", "\"JPY\"").with("amount", "\"100.5\""),
                "amount: JPY allows 0 fraction digits");
        broken("four decimals in BHD", d -> d.with("currency", "\"BHD\"").with("amount", "\"1.2345\""),
                "amount: BHD allows 3 fraction digits");
    }

    private void currencies() {
        currency("made-up currency", "ABC", "currency: 'ABC' is not an ISO 4217 code");
        currency("lower-case currency", "eur", "currency: must be an upper-case ISO 4217 code");
        currency("two-letter currency", "EU", "currency: must be an upper-case ISO 4217 code");
        currency("empty currency", "", "currency: must be an upper-case ISO 4217 code");
        for (String historic : List.of("TPE", "SKK", "DEM", "HRK", "VEF")) {
            currency("historic currency " + historic, historic, "currency: '" + historic + "' is withdrawn");
        }
        currency("precious metal XAU", "XAU", "currency: 'XAU' is withdrawn or not a chargeable currency");
        currency("testing code XTS", "XTS", "currency: 'XTS' is withdrawn or not a chargeable currency");
    }

    private void metadata() {
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 51; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        broken("51 metadata entries", d -> d.with("metadata", many + "}"), "metadata: at most 50 entries, was 51");
        broken("metadata value of 501 characters", d -> d.with("metadata", "{\"note\":\"" + "x".repeat(501) + "\"}"),
                "metadata.note: value must be a string of at most 500 characters");
        broken("metadata key of 41 characters", d -> d.with("metadata", "{\"" + "k".repeat(41) + "\":\"v\"}"),
                "metadata: keys must be 1-40 characters");
        broken("empty metadata key", d -> d.with("metadata", "{\"\":\"v\"}"), "metadata: keys must be 1-40 characters");
        broken("nested metadata object", d -> d.with("metadata", "{\"n\":{\"deeper\":\"v\"}}"),
                "metadata.n: must be a string, was an object");
    }

    private void nesting() {
        broken("nesting 9 deep in an unknown field", d -> d.with("extra", "[".repeat(9) + "]".repeat(9)),
                "body: malformed JSON");
        broken("nesting 10,000 deep in an unknown field", d -> d.with("extra", "[".repeat(10_000) + "]".repeat(10_000)),
                "body: malformed JSON");
        raw("10,000 unclosed objects", "{\"a\":".repeat(10_000), "body: malformed JSON");
    }

    private void characters() {
        text("NUL escape in orderId", "orderId", "order\\u0000-1", "orderId: must not contain control");
        text("newline in orderId", "orderId", "order\\n-1", "orderId: must not contain control");
        text("escape character in orderId", "orderId", "order\\u001B[31m", "orderId: must not contain control");
        text("right-to-left override in customerId", "customerId", "cus\\u202E1-", "customerId: must not contain");
        text("left-to-right isolate in customerId", "customerId", "cus\\u2066x", "customerId: must not contain");
        text("zero-width space in orderId", "orderId", "o\\u200B1", "orderId: must not contain");
        text("line separator in orderId", "orderId", "o\\u20281", "orderId: must not contain");
        text("lone surrogate in customerId", "customerId", "cus\\uD800", "customerId: must not contain");
        text("private-use character in orderId", "orderId", "o\\uE0001", "orderId: must not contain");
        broken("bidi override in a metadata value", d -> d.with("metadata", "{\"note\":\"abc\\u202Edef\"}"),
                "metadata.note: must not contain");
        broken("control character in a metadata key", d -> d.with("metadata", "{\"no\\u0007te\":\"v\"}"),
                "must not contain control");
        broken("orderId of 129 characters", d -> d.with("orderId", "\"" + "o".repeat(129) + "\""),
                "orderId: at most 128 characters");
    }

    private void encodings() {
        withBytes("overlong UTF-8 encoding", "C0AF", "body: not valid UTF-8");
        withBytes("UTF-8 encoded surrogate", "EDA080", "body: not valid UTF-8");
        withBytes("truncated UTF-8 sequence", "E282", "body: not valid UTF-8");
        withBytes("lone continuation byte", "80", "body: not valid UTF-8");
        withBytes("Latin-1 e-acute", "E9", "body: not valid UTF-8");
        withBytes("code point beyond U+10FFFF", "F4908080", "body: not valid UTF-8");
        withBytes("raw NUL byte", "00", "body: contains a NUL byte");
        String id = id();
        byte[] json = doc(id).bytes();
        add("UTF-8 byte-order mark", utf8(id), concat(HexFormat.of().parseHex("EFBBBF"), json),
                "body: starts with a UTF-8 byte-order mark", id);
        id = id();
        add("UTF-16 with byte-order mark", utf8(id), doc(id).render().getBytes(StandardCharsets.UTF_16),
                "body: starts with a UTF-16 byte-order mark", id);
        id = id();
        add("UTF-16LE without byte-order mark", utf8(id), doc(id).render().getBytes(StandardCharsets.UTF_16LE),
                "body: contains a NUL byte", id);
        id = id();
        add("UTF-32", utf8(id), doc(id).render().getBytes(java.nio.charset.Charset.forName("UTF-32")),
                "body: contains a NUL byte", id);
    }

    private void duplicates() {
        broken("amount twice", d -> d.append("amount", "\"9999.00\""), "body: field 'amount' appears twice");
        broken("paymentId twice", d -> d.append("paymentId", "\"other-id\""), "body: field 'paymentId' appears twice");
        broken("currency twice", d -> d.append("currency", "\"USD\""), "body: field 'currency' appears twice");
        broken("a metadata key twice", d -> d.with("metadata", "{\"a\":\"1\",\"a\":\"2\"}"),
                "body: field 'a' appears twice");
    }

    private void keys() {
        String id = id();
        add("key differs from paymentId", utf8(id + "-other"), doc(id).bytes(), "key: the record key must equal paymentId",
                id);
        id = id();
        add("key with a trailing space", utf8(id + " "), doc(id).bytes(), "key: the record key must equal paymentId", id);
        id = id();
        add("null key", null, doc(id).bytes(), "key: missing", id);
        id = id();
        add("empty key", new byte[0], doc(id).bytes(), "key: empty", id);
        id = id();
        add("key not valid UTF-8", HexFormat.of().parseHex("FFFE41"), doc(id).bytes(), "key: not valid UTF-8", id);
        id = id();
        add("null value (tombstone)", utf8(id), null, "body: empty record", id);
        id = id();
        add("empty value", utf8(id), new byte[0], "body: empty record", id);
        String longId = id() + "-" + "x".repeat(64);
        add("paymentId of 70+ characters", utf8(longId), doc(longId).bytes(), "paymentId: must be 1-64 characters", null);
        String spaced = id() + " /x";
        add("paymentId with a space and slash", utf8(spaced), doc(spaced).bytes(), "paymentId: must be 1-64 characters",
                null);
    }

    private void sizes() {
        String id = id();
        String pad = "x".repeat(ONE_MEGABYTE - doc(id).render().length() - 13);
        add("1 MB payload", utf8(id), doc(id).with("padding", "\"" + pad + "\"").bytes(),
                "body: 1000000 bytes exceeds the limit of 65536", id);
        id = id();
        String justOver = "x".repeat(65_537 - doc(id).render().length() - 13);
        add("one byte over 64 KiB", utf8(id), doc(id).with("padding", "\"" + justOver + "\"").bytes(),
                "body: 65537 bytes exceeds the limit of 65536", id);
    }

    private void cardNumbers() {
        card("raw card number as paymentMethod", CARD_NUMBERS.get(0), "paymentMethod: looks like a raw card number");
        card("card number grouped by spaces", CARD_NUMBERS.get(1), "paymentMethod: looks like a raw card number");
        card("card number grouped by dashes", CARD_NUMBERS.get(2), "paymentMethod: looks like a raw card number");
        card("token with spaces", "tok visa", "paymentMethod: must be an opaque token");
        card("token of 257 characters", "t".repeat(257), "paymentMethod: must be an opaque token");
        card("script in paymentMethod", "<script>alert(1)</script>", "paymentMethod: must be an opaque token");
    }

    private void createdAt() {
        broken("createdAt an hour ahead", d -> d.with("createdAt", quoted(now.plus(Duration.ofHours(1)).toString())),
                "createdAt: more than PT5M in the future");
        broken("createdAt 8 days old", d -> d.with("createdAt", quoted(now.minus(Duration.ofDays(8)).toString())),
                "createdAt: older than the ledger's retention");
        broken("createdAt in words", d -> d.with("createdAt", "\"yesterday\""), "createdAt: must be an ISO-8601 instant");
        broken("createdAt a date only", d -> d.with("createdAt", "\"2026-01-31\""),
                "createdAt: must be an ISO-8601 instant");
    }

    // ------------------------------------------------------------------ building blocks

    private String id() {
        return prefix + "-" + String.format("%03d", records.size());
    }

    private void add(String name, byte[] key, byte[] value, String reason, String filedUnder) {
        records.add(new BadRecord(name, key, value, reason, filedUnder));
    }

    /** An unreadable document: the key is a fresh paymentId, which the ledger files it under. */
    private void raw(String name, String value, String reason) {
        String id = id();
        add(name, utf8(id), utf8(value), reason, id);
    }

    private void broken(String name, java.util.function.UnaryOperator<Doc> change, String reason) {
        String id = id();
        add(name, utf8(id), change.apply(doc(id)).bytes(), reason, id);
    }

    private void amount(String name, String amount, String reason) {
        broken(name, d -> d.with("amount", quoted(amount)), reason);
    }

    private void currency(String name, String currency, String reason) {
        broken(name, d -> d.with("currency", quoted(currency)), reason);
    }

    private void card(String name, String paymentMethod, String reason) {
        broken(name, d -> d.with("paymentMethod", quoted(paymentMethod)), reason);
    }

    /** A text field with an escaped character ({@code \\u202E} in JSON) inside. */
    private void text(String name, String field, String escapedJson, String reason) {
        broken(name, d -> d.with(field, "\"" + escapedJson + "\""), reason);
    }

    /** A valid document with raw bytes where the customerId's '#' stands. */
    private void withBytes(String name, String hex, String reason) {
        String id = id();
        byte[] doc = doc(id).with("customerId", "\"cus-#\"").bytes();
        int at = new String(doc, StandardCharsets.ISO_8859_1).indexOf('#');
        byte[] inserted = HexFormat.of().parseHex(hex);
        byte[] value = new byte[doc.length - 1 + inserted.length];
        System.arraycopy(doc, 0, value, 0, at);
        System.arraycopy(inserted, 0, value, at, inserted.length);
        System.arraycopy(doc, at + 1, value, at + inserted.length, doc.length - at - 1);
        add(name, utf8(id), value, reason, id);
    }

    private Doc doc(String paymentId) {
        Doc d = new Doc();
        d.fields.put("paymentId", quoted(paymentId));
        d.fields.put("orderId", quoted("order-" + paymentId));
        d.fields.put("amount", "\"12.50\"");
        d.fields.put("currency", "\"EUR\"");
        d.fields.put("customerId", "\"cus-1\"");
        d.fields.put("paymentMethod", "\"tok_visa_4242\"");
        d.fields.put("createdAt", quoted(now.minusSeconds(30).toString()));
        return d;
    }

    /** A request document as raw JSON per field, in order. */
    private static final class Doc {
        private final Map<String, String> fields = new LinkedHashMap<>();
        private final List<String> tail = new ArrayList<>();

        Doc with(String field, String rawJson) {
            fields.put(field, rawJson);
            return this;
        }

        Doc without(String field) {
            fields.remove(field);
            return this;
        }

        Doc only() {
            fields.clear();
            return this;
        }

        /** The field once more, after all others: a duplicate key (the first, real value is read first). */
        Doc append(String field, String rawJson) {
            tail.add(quoted(field) + ":" + rawJson);
            return this;
        }

        String render() {
            List<String> parts = new ArrayList<>();
            fields.forEach((k, v) -> parts.add(quoted(k) + ":" + v));
            parts.addAll(tail);
            return "{" + String.join(",", parts) + "}";
        }

        byte[] bytes() {
            return utf8(render());
        }
    }

    /** A JSON string of plain text (the corpus quotes only ids, codes and amounts it made itself). */
    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
