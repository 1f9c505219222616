package dev.paypipe.json;

import static dev.paypipe.json.RequestDocuments.encode;
import static dev.paypipe.json.RequestDocuments.recordOf;
import static dev.paypipe.json.RequestDocuments.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.json.RequestDocuments.Raw;
import dev.paypipe.model.ActiveCurrencies;
import dev.paypipe.model.PaymentRequest;
import dev.paypipe.model.RequestCheck;
import dev.paypipe.model.RequestRules;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Fuzzes the request decoder and validator, both the worker's lenient check and the ledger's strict door: they
 * only ever return a request or a list of problems, never throw, and never judge two encodings of the same
 * record differently. Documents are built here as field name to raw JSON, so every property controls the bytes.
 */
class PaymentJsonPropertiesTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final RequestRules RULES = RequestRules.defaults(Clock.fixed(NOW, ZoneOffset.UTC));
    private static final BigInteger MAX_AMOUNT = new BigInteger("9999999999999999");
    /** What a problem message starts with: the field it is about, the record key, or the document as a whole. */
    private static final Pattern NAMES_A_FIELD = Pattern.compile(
            "^(paymentId|orderId|amount|currency|customerId|paymentMethod|createdAt|metadata|key|body)[:. ].*",
            Pattern.DOTALL);
    private static final Pattern CARD_LIKE_RUN = Pattern.compile("[0-9]{13,}");
    /** The one long digit run a problem may carry: the documented amount limit, which fails the Luhn check. */
    private static final String AMOUNT_LIMIT = "at most 9999999999999999,";
    private static final List<String> REQUIRED = List.of("paymentId", "orderId", "amount", "currency", "customerId",
            "paymentMethod", "createdAt");
    private static final List<String> TEXT_FIELDS = List.of("paymentId", "orderId", "amount", "currency",
            "customerId", "paymentMethod", "createdAt", "metadata");
    /** Controls, bidirectional overrides and isolates, zero-width and separator characters. */
    private static final List<Character> UNPRINTABLE = List.of('\u0000', '\u0007', '\u001B', '\u007F', '\u0085',
            '\u200B', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067',
            '\u2068', '\u2069', '\u061C', '\uFEFF', '\u2028', '\u2029', '\uE000', '\uD800');

    // ---------------------------------------------------------------- 1: any bytes

    @Property(tries = 1000)
    void anyBytesGiveEitherARequestOrProblemsNamingAFieldNeverAnException(@ForAll("hostileValues") byte[] value,
            @ForAll("keys") byte[] key) {
        assertRequestOrNamedProblems(PaymentJson.decodeRequest(value));
        assertRequestOrNamedProblems(PaymentJson.decodeRequest(key, value, RULES));
    }

    // ---------------------------------------------------------------- 2: round trip

    @Property(tries = 800)
    void everyValidRequestEncodedByTheCodecIsAcceptedByBothChecksAndDecodesToItself(
            @ForAll("validRequests") PaymentRequest request) {
        byte[] json = PaymentJson.encodeRequest(request);

        RequestCheck lenient = PaymentJson.decodeRequest(json);
        RequestCheck strict = PaymentJson.decodeRequest(utf8(request.paymentId()), json, RULES);

        assertThat(lenient.problems()).isEmpty();
        assertThat(lenient.request()).isEqualTo(request);
        assertThat(strict.problems()).isEmpty();
        assertThat(strict.request()).isEqualTo(request);
    }

    // ---------------------------------------------------------------- 3: two encodings, one verdict

    @Property(tries = 800)
    void twoEncodingsOfTheSameRecordGetTheSameVerdictRequestAndProblems(@ForAll("records") Map<String, Object> record,
            @ForAll long seed) {
        byte[] plain = encode(record, null);
        byte[] reshaped = encode(record, new Random(seed));
        byte[] key = record.get("paymentId") instanceof String id ? utf8(id) : utf8("pay-1");

        assertThat(PaymentJson.decodeRequest(reshaped))
                .as("lenient check of %s vs %s", text(plain), text(reshaped))
                .isEqualTo(PaymentJson.decodeRequest(plain));
        assertThat(PaymentJson.decodeRequest(key, reshaped, RULES))
                .as("strict check of %s vs %s", text(plain), text(reshaped))
                .isEqualTo(PaymentJson.decodeRequest(key, plain, RULES));
    }

    // ---------------------------------------------------------------- 4: one field broken

    @Property(tries = 1000)
    void aValidDocumentWithOneFieldBrokenIsRefusedByTheDoorNamingThatField(
            @ForAll("validRequests") PaymentRequest request, @ForAll("mutations") Mutation mutation) {
        Map<String, Object> record = recordOf(request);
        mutation.applyTo(record);
        byte[] json = encode(record, null);

        RequestCheck strict = PaymentJson.decodeRequest(utf8(request.paymentId()), json, RULES);

        assertThat(strict.isValid()).as("%s accepted: %s", mutation, text(json)).isFalse();
        assertThat(strict.problems()).as("%s: %s", mutation, text(json))
                .anyMatch(p -> p.startsWith(mutation.field()));
        if (mutation.kind() != Kind.UNPRINTABLE) {
            // the worker does not police character sets, but a missing, mistyped or over-precise field it refuses too
            assertThat(PaymentJson.decodeRequest(json).problems()).as("%s: %s", mutation, text(json))
                    .anyMatch(p -> p.startsWith(mutation.field()));
        }
    }

    // ---------------------------------------------------------------- 5: card numbers stay masked

    @Property(tries = 1000)
    void noProblemEverEchoesACardNumberFromTheInput(@ForAll("validRequests") PaymentRequest request,
            @ForAll("cardNumbers") String pan, @ForAll PanPlacement placement) {
        byte[] json = placement.place(recordOf(request), pan);
        byte[] key = placement == PanPlacement.KEY ? utf8(pan) : utf8(request.paymentId());

        List<String> problems = new ArrayList<>(PaymentJson.decodeRequest(json).problems());
        problems.addAll(PaymentJson.decodeRequest(key, json, RULES).problems());

        assertThat(problems).as("%s in %s", placement, text(json))
                .noneMatch(PaymentJsonPropertiesTest::echoesADigitRun);
    }

    // ---------------------------------------------------------------- checks

    private static void assertRequestOrNamedProblems(RequestCheck check) {
        if (check.isValid()) {
            assertThat(check.problems()).isEmpty();
            return;
        }
        assertThat(check.problems()).isNotEmpty()
                .allMatch(p -> NAMES_A_FIELD.matcher(p).matches())
                .noneMatch(PaymentJsonPropertiesTest::echoesADigitRun);
    }

    private static boolean echoesADigitRun(String problem) {
        return CARD_LIKE_RUN.matcher(problem.replace(AMOUNT_LIMIT, "")).find();
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<byte[]> hostileValues() {
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> soup = Arbitraries.of("{", "}", "[", "]", ":", ",", " ", "\"", "\\", "\\u", "\\uD800",
                        "\"paymentId\"", "\"amount\"", "\"metadata\"", "\"12.50\"", "12.50", "1e999", "-0", "null",
                        "true", "\"x\"", "\u202E", "\u0000", "\uFEFF", "é", "4111111111111111", "\"pay-1\"")
                .list().ofMaxSize(40).map(parts -> utf8(String.join("", parts)));
        Arbitrary<byte[]> corrupted = Combinators.combine(validRequests(), Arbitraries.integers().between(0, 400),
                        Arbitraries.bytes(), Arbitraries.of(Corruption.values()))
                .as((r, at, b, how) -> how.apply(PaymentJson.encodeRequest(r), at, b));
        Arbitrary<byte[]> nested = Combinators.combine(Arbitraries.integers().between(1, 3000),
                        Arbitraries.of("[", "{\"metadata\":", "{\"a\":[", "{\"amount\":{\"x\":"))
                .as((depth, open) -> utf8(open.repeat(depth)));
        Arbitrary<byte[]> huge = Arbitraries.integers().between(PaymentJson.MAX_DOCUMENT_BYTES - 64,
                        PaymentJson.MAX_DOCUMENT_BYTES + 64)
                .map(n -> utf8("{\"paymentId\":\"pay-1\",\"x\":\"" + "a".repeat(n) + "\"}"));
        return Arbitraries.frequencyOf(
                weighted(3, noise), weighted(3, soup), weighted(4, corrupted), weighted(1, nested), weighted(1, huge),
                weighted(1, Arbitraries.just(new byte[0]).injectNull(0.5)));
    }

    private static Tuple.Tuple2<Integer, Arbitrary<? extends byte[]>> weighted(int weight,
            Arbitrary<? extends byte[]> arbitrary) {
        return Tuple.of(weight, arbitrary);
    }

    /** Byte-level damage to an otherwise valid document. */
    enum Corruption {
        UTF8_BOM, UTF16_BOM, UTF16_TEXT, UTF32_TEXT, UTF32_DAMAGED, NUL_BYTE, FLIP_BYTE, TRUNCATE, OVERLONG_SLASH,
        LONE_SURROGATE;

        byte[] apply(byte[] doc, int at, byte b) {
            int i = at % (doc.length + 1);
            String json = new String(doc, StandardCharsets.UTF_8);
            return switch (this) {
                case UTF8_BOM -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, doc);
                case UTF16_BOM -> concat(new byte[] {(byte) 0xFE, (byte) 0xFF},
                        json.getBytes(StandardCharsets.UTF_16BE));
                case UTF16_TEXT -> json.getBytes(StandardCharsets.UTF_16LE);
                case UTF32_TEXT -> json.getBytes(Charset.forName("UTF-32BE"));
                case UTF32_DAMAGED -> {
                    byte[] utf32 = json.getBytes(Charset.forName("UTF-32BE"));
                    utf32[4 * Math.min(i, utf32.length / 4 - 1)] = (byte) (b | 0x01); // a code point beyond U+10FFFF
                    yield utf32;
                }
                case NUL_BYTE -> insert(doc, i, new byte[] {0});
                case FLIP_BYTE -> {
                    byte[] copy = doc.clone();
                    copy[Math.min(i, copy.length - 1)] = b;
                    yield copy;
                }
                case TRUNCATE -> Arrays.copyOf(doc, Math.min(i, doc.length));
                case OVERLONG_SLASH -> insert(doc, i, new byte[] {(byte) 0xC0, (byte) 0xAF});
                case LONE_SURROGATE -> insert(doc, i, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
            };
        }
    }

    @Provide
    Arbitrary<byte[]> keys() {
        return Arbitraries.oneOf(ids().map(RequestDocuments::utf8), Arbitraries.just(utf8("pay-1")),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(20)).injectNull(0.1);
    }

    @Provide
    Arbitrary<PaymentRequest> validRequests() {
        Arbitrary<String> currencies = Arbitraries.of(List.copyOf(ActiveCurrencies.codes()));
        Arbitrary<Object[]> money = currencies.flatMap(c -> {
            int digits = ActiveCurrencies.fractionDigits(c).orElseThrow();
            return Arbitraries.integers().between(0, digits).flatMap(scale -> Arbitraries.bigIntegers()
                    .between(BigInteger.ONE, MAX_AMOUNT.multiply(BigInteger.TEN.pow(scale)))
                    .map(unscaled -> new Object[] {new BigDecimal(unscaled, scale), c}));
        });
        Arbitrary<Instant> createdAt = Arbitraries.longs()
                .between(-RequestRules.DEFAULT_MAX_AGE.toNanos() + 1, RequestRules.DEFAULT_SKEW.toNanos())
                .map(nanos -> NOW.plus(Duration.ofNanos(nanos)));
        Arbitrary<String> tokens = Combinators.combine(Arbitraries.of("tok_", "pm_", "card:"),
                        Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').numeric()
                                .withChars("_.:-").ofMaxLength(200))
                .as(String::concat);
        Arbitrary<Map<String, String>> metadata = Arbitraries.maps(printable(1, 40), printable(0, 500))
                .ofMaxSize(4);
        return Combinators.combine(ids(), text(), money, text(), tokens, createdAt, metadata)
                .as((id, order, m, customer, token, created, meta) -> new PaymentRequest(id, order,
                        (BigDecimal) m[0], (String) m[1], customer, token, created, meta));
    }

    /** The documented paymentId charset. */
    private static Arbitrary<String> ids() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').numeric().withChars("._:-")
                .ofMinLength(1).ofMaxLength(64);
    }

    /** A non-blank free-text field (orderId, customerId): any printable Unicode, mostly ASCII. */
    private static Arbitrary<String> text() {
        return printable(1, 128).filter(s -> !s.isBlank());
    }

    private static Arbitrary<String> printable(int min, int max) {
        Arbitrary<String> ascii = Arbitraries.strings().ascii().ofMinLength(min).ofMaxLength(max);
        Arbitrary<String> unicode = Arbitraries.strings().all().ofMinLength(min).ofMaxLength(max);
        return Arbitraries.oneOf(ascii, unicode).map(PaymentJsonPropertiesTest::printableOnly);
    }

    /** Replaces every character the strict check refuses, so a generated valid value stays valid. */
    private static String printableOnly(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(switch (Character.getType(c)) {
                case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                        Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> 'x';
                default -> c;
            });
        }
        return sb.toString();
    }

    /** Valid requests, and the same with fields replaced by arbitrary strings or removed: valid and invalid records. */
    @Provide
    Arbitrary<Map<String, Object>> records() {
        Arbitrary<Map<String, String>> replaced = Arbitraries.maps(Arbitraries.of(REQUIRED),
                Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(30), Arbitraries.of("", " ", "-5", "1.001",
                        "4111111111111111", "XXX", "2026-03-01T12:00:00+01:00", "1e3"))).ofMaxSize(3);
        Arbitrary<Set<String>> removed = Arbitraries.of(REQUIRED).set().ofMaxSize(2);
        Arbitrary<Map<String, Object>> broken = Combinators.combine(validRequests(), replaced, removed)
                .as((r, replace, remove) -> {
                    Map<String, Object> record = recordOf(r);
                    record.putAll(replace);
                    record.keySet().removeAll(remove);
                    return record;
                });
        return Arbitraries.oneOf(validRequests().map(RequestDocuments::recordOf), broken);
    }

    enum Kind { REMOVE, WRONG_TYPE, UNPRINTABLE, TOO_MANY_DECIMALS }

    /** One field of a valid document broken in one way. */
    record Mutation(String field, Kind kind, String rawJson, char inserted, int at) {
        void applyTo(Map<String, Object> record) {
            switch (kind) {
                case REMOVE -> record.remove(field);
                case WRONG_TYPE -> record.put(field, new Raw(rawJson));
                case TOO_MANY_DECIMALS -> {
                    BigDecimal amount = new BigDecimal((String) record.get("amount"));
                    int allowed = ActiveCurrencies.fractionDigits((String) record.get("currency")).orElseThrow();
                    String exact = amount.setScale(allowed).toPlainString();
                    record.put("amount", exact + (allowed == 0 ? "." : "") + rawJson);
                }
                case UNPRINTABLE -> {
                    if (field.equals("metadata")) {
                        record.put("metadata", Map.of("note", "ab" + inserted + "cd"));
                    } else {
                        String value = (String) record.get(field);
                        int i = at % (value.length() + 1);
                        record.put(field, value.substring(0, i) + inserted + value.substring(i));
                    }
                }
            }
        }
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        Arbitrary<Mutation> remove = Arbitraries.of(REQUIRED).map(f -> new Mutation(f, Kind.REMOVE, null, ' ', 0));
        Arbitrary<Mutation> wrongType = Arbitraries.of(TEXT_FIELDS).flatMap(f -> Arbitraries.of(f.equals("metadata")
                        ? List.of("42", "\"web\"", "[]", "true", "[{\"a\":\"b\"}]")
                        : List.of("42", "-1.5", "true", "false", "null", "[]", "[\"x\"]", "{}", "{\"a\":\"b\"}"))
                .map(raw -> new Mutation(f, Kind.WRONG_TYPE, raw, ' ', 0)));
        Arbitrary<Mutation> unprintable = Combinators.combine(Arbitraries.of(TEXT_FIELDS), Arbitraries.of(UNPRINTABLE),
                        Arbitraries.integers().between(0, 500))
                .as((f, c, at) -> new Mutation(f, Kind.UNPRINTABLE, null, c, at));
        Arbitrary<Mutation> decimals = Arbitraries.strings().withCharRange('1', '9').ofMinLength(1).ofMaxLength(3)
                .map(extra -> new Mutation("amount", Kind.TOO_MANY_DECIMALS, extra, ' ', 0));
        return Arbitraries.oneOf(remove, wrongType, unprintable, decimals);
    }

    @Provide
    Arbitrary<String> cardNumbers() {
        return Arbitraries.strings().numeric().ofMinLength(13).ofMaxLength(19)
                .map(PaymentJsonPropertiesTest::withLuhnCheckDigit);
    }

    /** Replaces the last digit so the number passes the Luhn check, as a real card number would. */
    private static String withLuhnCheckDigit(String digits) {
        String body = digits.substring(0, digits.length() - 1);
        int sum = 0;
        for (int i = body.length() - 1, pos = 0; i >= 0; i--, pos++) {
            int d = body.charAt(i) - '0';
            if (pos % 2 == 0) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return body + (10 - sum % 10) % 10;
    }

    /** Where a card number lands in an otherwise valid document. */
    enum PanPlacement {
        AMOUNT, AMOUNT_NEGATIVE, AMOUNT_TOO_PRECISE, AMOUNT_TOO_LARGE, AMOUNT_EXPONENT, AMOUNT_AS_NUMBER,
        PAYMENT_METHOD, PAYMENT_METHOD_GROUPED, PAYMENT_METHOD_WITH_SPACE, CURRENCY, CREATED_AT, PAYMENT_ID_INVALID,
        ORDER_ID_WITH_CONTROL, CUSTOMER_ID_TOO_LONG, METADATA_KEY, METADATA_KEY_TOO_LONG, METADATA_VALUE_NOT_STRING,
        METADATA_VALUE_WITH_CONTROL, FIELD_NAME_UNQUOTED, VALUE_UNQUOTED, DUPLICATE_FIELD, TRUNCATED, WHOLE_BODY, KEY;

        byte[] place(Map<String, Object> record, String pan) {
            switch (this) {
                case AMOUNT -> record.put("amount", pan);
                case AMOUNT_NEGATIVE -> record.put("amount", "-" + pan);
                case AMOUNT_TOO_PRECISE -> record.put("amount", pan + ".12345");
                case AMOUNT_TOO_LARGE -> record.put("amount", pan + pan);
                case AMOUNT_EXPONENT -> record.put("amount", pan + "e2");
                case AMOUNT_AS_NUMBER -> record.put("amount", new Raw(pan));
                case PAYMENT_METHOD -> record.put("paymentMethod", pan);
                case PAYMENT_METHOD_GROUPED -> record.put("paymentMethod", pan.replaceAll("(\\d{4})", "$1-"));
                case PAYMENT_METHOD_WITH_SPACE -> record.put("paymentMethod", "tok " + pan);
                case CURRENCY -> record.put("currency", pan);
                case CREATED_AT -> record.put("createdAt", pan);
                case PAYMENT_ID_INVALID -> record.put("paymentId", pan + "!");
                case ORDER_ID_WITH_CONTROL -> record.put("orderId", "order " + pan + "\u0007");
                case CUSTOMER_ID_TOO_LONG -> record.put("customerId", pan.repeat(10));
                case METADATA_KEY -> record.put("metadata", Map.of(pan, "x\u202E"));
                case METADATA_KEY_TOO_LONG -> record.put("metadata", Map.of(pan + pan + pan, "x"));
                case METADATA_VALUE_NOT_STRING -> record.put("metadata", new Raw("{\"" + pan + "\":1}"));
                case METADATA_VALUE_WITH_CONTROL -> record.put("metadata", Map.of("note", pan + "\u0000"));
                case FIELD_NAME_UNQUOTED -> {
                    return utf8("{" + pan + ":1}");
                }
                case VALUE_UNQUOTED -> record.put("paymentMethod", new Raw("tok_" + pan));
                case DUPLICATE_FIELD -> {
                    return utf8("{\"" + pan + "\":1,\"" + pan + "\":2}");
                }
                case TRUNCATED -> {
                    return utf8("{\"paymentMethod\":\"" + pan);
                }
                case WHOLE_BODY -> {
                    return utf8(pan + "x");
                }
                case KEY -> {
                    // the key differs from paymentId
                }
            }
            return encode(record, null);
        }
    }

    // ---------------------------------------------------------------- bytes

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] insert(byte[] doc, int at, byte[] bytes) {
        byte[] out = new byte[doc.length + bytes.length];
        System.arraycopy(doc, 0, out, 0, at);
        System.arraycopy(bytes, 0, out, at, bytes.length);
        System.arraycopy(doc, at, out, at + bytes.length, doc.length - at);
        return out;
    }
}
