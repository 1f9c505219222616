package dev.paypipe.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paypipe.model.PaymentRequest;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.model.RequestCheck;
import dev.paypipe.model.RequestRules;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PaymentJsonTest {
    private static final Instant CREATED = Instant.parse("2026-01-31T12:00:00Z");

    static PaymentRequest request() {
        return new PaymentRequest("pay-1", "order-1", new BigDecimal("12.50"), "EUR", "cus-1",
                "tok_visa_4242424242", CREATED, Map.of("channel", "web"));
    }

    /** A valid request document with one field replaced by raw JSON (or removed when null). */
    static byte[] requestWith(String field, String rawJson) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("paymentId", "\"pay-1\"");
        fields.put("orderId", "\"order-1\"");
        fields.put("amount", "\"12.50\"");
        fields.put("currency", "\"EUR\"");
        fields.put("customerId", "\"cus-1\"");
        fields.put("paymentMethod", "\"tok_visa_4242424242\"");
        fields.put("createdAt", "\"2026-01-31T12:00:00Z\"");
        if (rawJson == null) {
            fields.remove(field);
        } else {
            fields.put(field, rawJson);
        }
        StringBuilder sb = new StringBuilder("{");
        fields.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    static RequestCheck decode(String json) {
        return PaymentJson.decodeRequest(json.getBytes(StandardCharsets.UTF_8));
    }

    @Nested
    class Requests {
        @ParameterizedTest
        @ValueSource(strings = {"\"-4111111111111111\"", "\"4111111111111111.123\"", "\"41111111111111114111\""})
        void amountProblemsMaskACardNumberSentAsTheAmount(String amount) {
            RequestCheck check = PaymentJson.decodeRequest(requestWith("amount", amount));

            assertThat(check.problems()).singleElement().asString().startsWith("amount: ").contains("****")
                    .doesNotContain("4111111111111111");
        }

        @Test
        void aMetadataValueOfTheWrongTypeIsNamedWithoutEchoingACardNumberKey() {
            RequestCheck check = PaymentJson.decodeRequest(requestWith("metadata", "{\"4111111111111111\":1}"));

            assertThat(check.problems()).containsExactly("metadata.****: must be a string, was a number");
        }

        @Test
        void roundTripsEveryField() {
            PaymentRequest original = request();

            RequestCheck check = PaymentJson.decodeRequest(PaymentJson.encodeRequest(original));

            assertThat(check.isValid()).as(check.describeProblems()).isTrue();
            assertThat(check.request()).isEqualTo(original);
            assertThat(check.request().amount()).isEqualByComparingTo("12.50");
            assertThat(check.request().amount().scale()).isEqualTo(2);
        }

        @Test
        void encodesAmountAsAPlainDecimalString() {
            PaymentRequest big = new PaymentRequest("pay-1", "order-1", new BigDecimal("1E+3"), "JPY", "cus-1",
                    "tok_visa_4242424242", CREATED, null);

            String json = new String(PaymentJson.encodeRequest(big), StandardCharsets.UTF_8);

            assertThat(json).contains("\"amount\":\"1000\"").doesNotContain("metadata");
            assertThat(PaymentJson.decodeRequest(json.getBytes(StandardCharsets.UTF_8)).isValid()).isTrue();
        }

        @Test
        void ignoresUnknownFieldsOfAnyShape() {
            String json = new String(requestWith("extra", "{\"nested\":[1,2,{\"deep\":true}],\"s\":\"x\"}"),
                    StandardCharsets.UTF_8).replace("{\"paymentId\"", "{\"schemaVersion\":2,\"paymentId\"");

            RequestCheck check = decode(json);

            assertThat(check.isValid()).as(check.describeProblems()).isTrue();
            assertThat(check.request().paymentId()).isEqualTo("pay-1");
        }

        @Test
        void acceptsNullMetadataAsNone() {
            RequestCheck check = PaymentJson.decodeRequest(requestWith("metadata", "null"));

            assertThat(check.isValid()).as(check.describeProblems()).isTrue();
            assertThat(check.request().metadata()).isEmpty();
        }

        @Test
        void acceptsCreatedAtWithAnOffsetAndNormalisesToUtc() {
            RequestCheck check = PaymentJson.decodeRequest(requestWith("createdAt", "\"2026-01-31T13:00:00+01:00\""));

            assertThat(check.isValid()).as(check.describeProblems()).isTrue();
            assertThat(check.request().createdAt()).isEqualTo(CREATED);
        }

        @ParameterizedTest
        @CsvSource({"12.50,EUR", "12.5,EUR", "12,EUR", "1500,JPY", "1.234,KWD", "0.01,USD", "9999999999999999,JPY"})
        void acceptsAmountsWithinTheCurrencysMinorUnits(String amount, String currency) {
            byte[] json = new String(requestWith("amount", "\"" + amount + "\""), StandardCharsets.UTF_8)
                    .replace("\"EUR\"", "\"" + currency + "\"").getBytes(StandardCharsets.UTF_8);

            RequestCheck check = PaymentJson.decodeRequest(json);

            assertThat(check.isValid()).as(check.describeProblems()).isTrue();
            assertThat(check.request().amount()).isEqualByComparingTo(amount);
        }
    }

    @Nested
    class InvalidRequests {
        @Test
        void reportsEveryProblemAtOnce() {
            RequestCheck check = decode("""
                    {"paymentId": "pay 1", "orderId": 42, "amount": 12.5, "currency": "eur",
                     "paymentMethod": ["tok"], "createdAt": "yesterday",
                     "metadata": {"ok": "yes", "n": 3}}""");

            assertThat(check.isValid()).isFalse();
            assertThat(check.request()).isNull();
            assertThat(check.problems()).anySatisfy(p -> assertThat(p).startsWith("paymentId: must be 1-64"))
                    .anySatisfy(p -> assertThat(p).isEqualTo("orderId: must be a string, was a number"))
                    .anySatisfy(p -> assertThat(p).startsWith("amount: must be a decimal string").contains("not a JSON number"))
                    .anySatisfy(p -> assertThat(p).startsWith("currency: must be an upper-case ISO 4217 code").contains("'eur'"))
                    .anySatisfy(p -> assertThat(p).isEqualTo("customerId: required"))
                    .anySatisfy(p -> assertThat(p).isEqualTo("paymentMethod: must be a string, was an array"))
                    .anySatisfy(p -> assertThat(p).startsWith("createdAt: must be an ISO-8601 instant").contains("'yesterday'"))
                    .anySatisfy(p -> assertThat(p).isEqualTo("metadata.n: must be a string, was a number"));
            assertThat(check.problems()).hasSize(8);
            assertThat(check.describeProblems()).contains("; ");
        }

        @Test
        void reportsEveryMissingField() {
            RequestCheck check = decode("{}");

            assertThat(check.problems()).extracting(p -> p.substring(0, p.indexOf(':')))
                    .containsExactlyInAnyOrder("paymentId", "orderId", "amount", "currency", "customerId",
                            "paymentMethod", "createdAt");
            assertThat(check.problems()).allSatisfy(p -> assertThat(p).contains("required"));
        }

        @Test
        void treatsNullAsMissing() {
            RequestCheck check = PaymentJson.decodeRequest(requestWith("customerId", "null"));

            assertThat(check.problems()).containsExactly("customerId: required");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "true          | a boolean",
            "{\"v\":\"1\"} | an object",
            "[\"1\"]       | an array",
            "7             | a number"})
        void reportsWrongJsonTypes(String raw, String described) {
            RequestCheck check = PaymentJson.decodeRequest(requestWith("customerId", raw));

            assertThat(check.problems()).containsExactly("customerId: must be a string, was " + described);
        }

        @ParameterizedTest
        @ValueSource(strings = {"12.5", "12", "1e3"})
        void refusesAmountAsJsonNumber(String number) {
            RequestCheck check = PaymentJson.decodeRequest(requestWith("amount", number));

            assertThat(check.problems())
                    .containsExactly("amount: must be a decimal string such as \"12.50\", not a JSON number");
        }

        @Test
        void refusesMoreFractionDigitsThanEuroAllows() {
            RequestCheck check = PaymentJson.decodeRequest(requestWith("amount", "\"12.505\""));

            assertThat(check.problems()).containsExactly("amount: EUR allows 2 fraction digits, was 12.505");
        }

        @Test
        void countsTrailingZerosAsFractionDigits() {
            RequestCheck check = PaymentJson.decodeRequest(requestWith("amount", "\"12.500\""));

            assertThat(check.problems()).containsExactly("amount: EUR allows 2 fraction digits, was 12.500");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1500.5", "1500.0"})
        void refusesAnyFractionForYen(String amount) {
            byte[] json = new String(requestWith("amount", "\"" + amount + "\""), StandardCharsets.UTF_8)
                    .replace("\"EUR\"", "\"JPY\"").getBytes(StandardCharsets.UTF_8);

            assertThat(PaymentJson.decodeRequest(json).problems())
                    .containsExactly("amount: JPY allows 0 fraction digits, was " + amount);
        }

        @ParameterizedTest
        @ValueSource(strings = {"1e3", "1.25E2", "5E-1"})
        void refusesExponentNotation(String amount) {
            RequestCheck check = PaymentJson.decodeRequest(requestWith("amount", "\"" + amount + "\""));

            assertThat(check.problems())
                    .containsExactly("amount: exponent notation is not allowed, was '" + amount + "'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "0.00", "-5.00", "-0.01"})
        void refusesZeroAndNegativeAmounts(String amount) {
            RequestCheck check = PaymentJson.decodeRequest(requestWith("amount", "\"" + amount + "\""));

            assertThat(check.problems()).containsExactly("amount: must be greater than zero, was " + amount);
        }

        @ParameterizedTest
        @ValueSource(strings = {"+12.50", ".5", "12.", "\u0661\u0662.\u0665\u0660"})
        void refusesDecimalsOutsideThePlainAsciiForm(String amount) {
            RequestCheck check = PaymentJson.decodeRequest(requestWith("amount", "\"" + amount + "\""));

            assertThat(check.problems()).singleElement().asString()
                    .startsWith("amount: must be ASCII digits with an optional '.'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"twelve", "12,50", "", " 12.50", "0x10"})
        void refusesTextThatIsNotADecimal(String amount) {
            RequestCheck check = PaymentJson.decodeRequest(requestWith("amount", "\"" + amount + "\""));

            assertThat(check.problems()).containsExactly(
                    "amount: must be a decimal string such as \"12.50\", was '" + amount + "'");
        }

        @Test
        void refusesAmountsAboveTheMaximum() {
            RequestCheck check = PaymentJson.decodeRequest(requestWith("amount", "\"10000000000000000\""));

            assertThat(check.problems()).singleElement().asString().startsWith("amount: must be at most 9999999999999999");
        }

        @ParameterizedTest
        @ValueSource(strings = {"eur", "Eur", "EURO", "E1R", ""})
        void refusesCurrencyThatIsNotThreeUpperCaseLetters(String currency) {
            RequestCheck check = PaymentJson.decodeRequest(requestWith("currency", "\"" + currency + "\""));

            assertThat(check.problems()).containsExactly(
                    "currency: must be an upper-case ISO 4217 code, was '" + currency + "'");
        }

        @Test
        void refusesUnknownCurrencyAndStillChecksTheAmountShape() {
            byte[] json = new String(requestWith("currency", "\"ABC\""), StandardCharsets.UTF_8)
                    .replace("\"12.50\"", "\"-1\"").getBytes(StandardCharsets.UTF_8);

            assertThat(PaymentJson.decodeRequest(json).problems()).containsExactly(
                    "currency: 'ABC' is not an ISO 4217 code", "amount: must be greater than zero, was -1");
        }

        @ParameterizedTest
        @ValueSource(strings = {"2026-01-31", "2026-01-31 12:00:00Z", "2026-01-31T12:00:00", "1706702400", "2026-13-01T00:00:00Z"})
        void refusesCreatedAtThatIsNotAnInstant(String createdAt) {
            RequestCheck check = PaymentJson.decodeRequest(requestWith("createdAt", "\"" + createdAt + "\""));

            assertThat(check.problems()).singleElement().asString().startsWith("createdAt: must be an ISO-8601 instant")
                    .contains(createdAt);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "a-very-long-payment-id-that-is-longer-than-sixty-four-characters-yes", "pay/1", "pay 1", "p\u00e4y"})
        void refusesPaymentIdsOutsideTheAlphabetOrLength(String id) {
            RequestCheck check = PaymentJson.decodeRequest(requestWith("paymentId", "\"" + id + "\""));

            assertThat(check.problems()).containsExactly("paymentId: must be 1-64 characters of [A-Za-z0-9._:-]");
            assertThat(check.paymentId()).isEqualTo(id);
        }

        @Test
        void acceptsPaymentIdsOfEveryAllowedCharacterUpToSixtyFour() {
            String id = "Aa0._:-".repeat(10).substring(0, 64);

            assertThat(PaymentJson.decodeRequest(requestWith("paymentId", "\"" + id + "\"")).isValid()).isTrue();
        }

        @Test
        void refusesBlankAndOverlongTexts() {
            byte[] json = new String(requestWith("orderId", "\"   \""), StandardCharsets.UTF_8)
                    .replace("\"cus-1\"", "\"" + "c".repeat(129) + "\"")
                    .replace("\"tok_visa_4242424242\"", "\"" + "t".repeat(257) + "\"")
                    .getBytes(StandardCharsets.UTF_8);

            assertThat(PaymentJson.decodeRequest(json).problems()).containsExactly(
                    "orderId: must not be blank",
                    "customerId: at most 128 characters, was 129",
                    "paymentMethod: at most 256 characters, was 257");
        }

        @Test
        void refusesMoreThanFiftyMetadataEntries() {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < 51; i++) {
                sb.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
            }
            RequestCheck check = PaymentJson.decodeRequest(requestWith("metadata", sb.append('}').toString()));

            assertThat(check.problems()).containsExactly("metadata: at most 50 entries, was 51");
        }

        @Test
        void acceptsMetadataAtItsLimits() {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < 50; i++) {
                String key = ("k" + i + "_").repeat(20).substring(0, 40);
                sb.append(i == 0 ? "" : ",").append('"').append(key).append("\":\"").append("v".repeat(500)).append('"');
            }
            RequestCheck check = PaymentJson.decodeRequest(requestWith("metadata", sb.append('}').toString()));

            assertThat(check.isValid()).as(check.describeProblems()).isTrue();
            assertThat(check.request().metadata()).hasSize(50);
        }

        @Test
        void refusesMetadataKeysAndValuesBeyondTheirLimits() {
            String metadata = "{\"\":\"v\",\"" + "k".repeat(41) + "\":\"v\",\"big\":\"" + "v".repeat(501) + "\"}";

            RequestCheck check = PaymentJson.decodeRequest(requestWith("metadata", metadata));

            assertThat(check.problems()).containsExactlyInAnyOrder(
                    "metadata: keys must be 1-40 characters, was ''",
                    "metadata: keys must be 1-40 characters, was '" + "k".repeat(40) + "...'",
                    "metadata.big: value must be a string of at most 500 characters");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"web\"", "[\"web\"]", "7"})
        void refusesMetadataThatIsNotAnObject(String raw) {
            RequestCheck check = PaymentJson.decodeRequest(requestWith("metadata", raw));

            assertThat(check.problems()).singleElement().asString().startsWith("metadata: must be an object of strings, was ");
        }

        @Test
        void reportsMalformedJsonWithItsOffsetAndKeepsTheIdsReadSoFar() {
            RequestCheck check = decode("{\"paymentId\":\"pay-1\",\"orderId\":\"order-1\",\"amount\":\"12.50\",,}");

            assertThat(check.isValid()).isFalse();
            assertThat(check.problems()).singleElement().asString().startsWith("body: malformed JSON at offset ");
            assertThat(check.paymentId()).isEqualTo("pay-1");
            assertThat(check.orderId()).isEqualTo("order-1");
        }

        @Test
        void masksAnUnquotedPaymentMethodInTheMalformedJsonProblem() {
            RequestCheck check = decode("{\"paymentId\":\"pay-1\",\"paymentMethod\": tok_visa_4242424242}");

            assertThat(check.describeProblems()).startsWith("body: malformed JSON at offset ")
                    .contains("Unrecognized token '****4242'").doesNotContain("tok_visa");
        }

        @Test
        void keepsShortQuotedInputInMalformedJsonProblems() {
            RequestCheck check = decode("{\"paymentId\":\"pay-1\",\"amount\": x}");

            assertThat(check.describeProblems()).contains("'x'");
        }

        @Test
        void reportsTruncatedJson() {
            RequestCheck check = decode("{\"paymentId\":\"pay-1\",\"amount\":\"12.");

            assertThat(check.problems()).singleElement().asString().startsWith("body: malformed JSON");
            assertThat(check.paymentId()).isEqualTo("pay-1");
        }

        @Test
        void keepsPaymentIdAndOrderIdOfAnInvalidRequest() {
            RequestCheck check = PaymentJson.decodeRequest(requestWith("amount", "12.50"));

            assertThat(check.isValid()).isFalse();
            assertThat(check.paymentId()).isEqualTo("pay-1");
            assertThat(check.orderId()).isEqualTo("order-1");
        }

        @Test
        void keepsAnInvalidPaymentIdAsSentForCorrelation() {
            RequestCheck check = PaymentJson.decodeRequest(requestWith("paymentId", "\"pay 1\""));

            assertThat(check.paymentId()).isEqualTo("pay 1");
        }

        @Test
        void hasNoIdsWhenTheRequestCarriedNone() {
            RequestCheck check = decode("{\"amount\":\"1.00\"}");

            assertThat(check.paymentId()).isNull();
            assertThat(check.orderId()).isNull();
        }

        @Test
        void refusesEmptyAndNullBodies() {
            assertThat(PaymentJson.decodeRequest(new byte[0]).problems())
                    .containsExactly("body: empty record (expected a JSON object)");
            assertThat(PaymentJson.decodeRequest(null).problems())
                    .containsExactly("body: empty record (expected a JSON object)");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "\"pay-1\"", "42", "null", "   "})
        void refusesBodiesThatAreNotAnObject(String body) {
            assertThat(decode(body).problems()).containsExactly("body: expected a JSON object");
        }

        @Test
        void refusesOversizedBodiesBeforeParsing() {
            byte[] body = new byte[PaymentJson.MAX_DOCUMENT_BYTES + 1];

            assertThat(PaymentJson.decodeRequest(body).problems()).containsExactly(
                    "body: " + (PaymentJson.MAX_DOCUMENT_BYTES + 1) + " bytes exceeds the limit of "
                            + PaymentJson.MAX_DOCUMENT_BYTES);
        }

        @Test
        void acceptsABodyOfExactlyTheLimit() {
            String valid = new String(requestWith("padding", "\"\""), StandardCharsets.UTF_8);
            String padded = valid.replace("\"padding\":\"\"",
                    "\"padding\":\"" + "x".repeat(PaymentJson.MAX_DOCUMENT_BYTES - valid.length()) + "\"");

            assertThat(padded.getBytes(StandardCharsets.UTF_8)).hasSize(PaymentJson.MAX_DOCUMENT_BYTES);
            assertThat(decode(padded).isValid()).isTrue();
        }

        @Test
        void refusesTrailingContentAfterTheObject() {
            String valid = new String(requestWith("currency", "\"EUR\""), StandardCharsets.UTF_8);

            RequestCheck check = decode(valid + " {\"paymentId\":\"other\"}");

            assertThat(check.problems()).containsExactly("body: trailing content after the JSON object");
            assertThat(check.paymentId()).isEqualTo("pay-1");
        }

        @Test
        void refusesTrailingGarbageAsMalformed() {
            String valid = new String(requestWith("currency", "\"EUR\""), StandardCharsets.UTF_8);

            assertThat(decode(valid + "x").isValid()).isFalse();
        }

        @Test
        void refusesDeeplyNestedUnknownFieldsAsAProblemNotAnException() {
            String deep = "[".repeat(20) + "]".repeat(20);

            RequestCheck check = PaymentJson.decodeRequest(requestWith("extra", deep));

            assertThat(check.problems()).singleElement().asString().startsWith("body: malformed JSON: ")
                    .contains("nesting depth");
            assertThat(check.paymentId()).isEqualTo("pay-1");
        }

        @Test
        void acceptsUnknownFieldsNestedUpToTheDepthLimit() {
            String nested = "[".repeat(7) + "]".repeat(7);

            assertThat(PaymentJson.decodeRequest(requestWith("extra", nested)).isValid()).isTrue();
        }

        @Test
        void neverEchoesThePaymentMethodTokenInProblems() {
            byte[] json = new String(requestWith("amount", "12.5"), StandardCharsets.UTF_8)
                    .replace("\"tok_visa_4242424242\"", "\"tok_visa_4242424242" + "x".repeat(300) + "\"")
                    .getBytes(StandardCharsets.UTF_8);

            RequestCheck check = PaymentJson.decodeRequest(json);

            assertThat(check.describeProblems()).contains("paymentMethod: at most 256").doesNotContain("tok_visa");
        }
    }

    @Nested
    class Results {
        @Test
        void roundTripsEveryField() {
            PaymentResult original = new PaymentResult("pay-1", "order-1", PaymentStatus.DECLINED,
                    new BigDecimal("12.50"), "EUR", "ch_1", "insufficient_funds", "http_402", "declined by issuer", 2,
                    CREATED, Instant.parse("2026-01-31T12:00:01.250Z"));

            PaymentResult decoded = PaymentJson.decodeResult(PaymentJson.encodeResult(original));

            assertThat(decoded).isEqualTo(original);
        }

        @Test
        void roundTripsARejectedResultWithoutOptionalFields() {
            PaymentResult original = new PaymentResult("pay 1", null, PaymentStatus.REJECTED, null, null, null, null,
                    "invalid_request", "amount: required", 0, null, CREATED);

            byte[] json = PaymentJson.encodeResult(original);

            assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("\"orderId\"", "\"amount\"",
                    "\"currency\"", "\"gatewayReference\"", "\"declineCode\"", "\"requestedAt\"")
                    .contains("\"attempts\":0");
            assertThat(PaymentJson.decodeResult(json)).isEqualTo(original);
        }

        @Test
        void readsExplicitNullsAsAbsent() {
            PaymentResult decoded = PaymentJson.decodeResult(("{\"paymentId\":\"pay-1\",\"orderId\":null,"
                    + "\"status\":\"FAILED\",\"amount\":null,\"currency\":null,\"gatewayReference\":null,"
                    + "\"declineCode\":null,\"errorClass\":\"connect_failed\",\"reason\":null,\"attempts\":3,"
                    + "\"requestedAt\":null,\"completedAt\":\"2026-01-31T12:00:00Z\",\"futureField\":{\"x\":1}}")
                    .getBytes(StandardCharsets.UTF_8));

            assertThat(decoded).isEqualTo(new PaymentResult("pay-1", null, PaymentStatus.FAILED, null, null, null,
                    null, "connect_failed", null, 3, null, CREATED));
        }

        @Test
        void defaultsAbsentAttemptsToZero() {
            PaymentResult decoded = PaymentJson.decodeResult(
                    "{\"paymentId\":\"p\",\"status\":\"UNKNOWN\",\"completedAt\":\"2026-01-31T12:00:00Z\"}"
                            .getBytes(StandardCharsets.UTF_8));

            assertThat(decoded.attempts()).isZero();
            assertThat(decoded.status()).isEqualTo(PaymentStatus.UNKNOWN);
        }

        @Test
        void roundTripsEveryStatus() {
            for (PaymentStatus status : PaymentStatus.values()) {
                PaymentResult r = PaymentResult.of(request(), status, null, null, null, null, 1, CREATED);

                assertThat(PaymentJson.decodeResult(PaymentJson.encodeResult(r))).isEqualTo(r);
            }
        }

        @Test
        void namesEveryProblemOfAMalformedResult() {
            byte[] json = "{\"status\":\"MAYBE\",\"attempts\":-1,\"amount\":\"lots\",\"requestedAt\":\"soon\"}"
                    .getBytes(StandardCharsets.UTF_8);

            assertThatThrownBy(() -> PaymentJson.decodeResult(json)).isInstanceOf(MalformedResultException.class)
                    .hasMessageContaining("paymentId: required")
                    .hasMessageContaining("status: unknown value 'MAYBE'")
                    .hasMessageContaining("amount: not a decimal")
                    .hasMessageContaining("attempts: must be >= 0")
                    .hasMessageContaining("requestedAt: not an ISO-8601 instant")
                    .hasMessageContaining("completedAt: required");
        }

        @Test
        void namesWrongJsonTypes() {
            byte[] json = ("{\"paymentId\":7,\"status\":\"APPROVED\",\"attempts\":\"2\","
                    + "\"completedAt\":\"2026-01-31T12:00:00Z\"}").getBytes(StandardCharsets.UTF_8);

            assertThatThrownBy(() -> PaymentJson.decodeResult(json)).isInstanceOf(MalformedResultException.class)
                    .hasMessageContaining("paymentId: must be a string, was a number")
                    .hasMessageContaining("attempts: must be an integer");
        }

        @Test
        void refusesAnEmptyPaymentId() {
            byte[] json = "{\"paymentId\":\"\",\"status\":\"APPROVED\",\"completedAt\":\"2026-01-31T12:00:00Z\"}"
                    .getBytes(StandardCharsets.UTF_8);

            assertThatThrownBy(() -> PaymentJson.decodeResult(json)).isInstanceOf(MalformedResultException.class)
                    .hasMessage("paymentId: required");
        }

        @Test
        void namesMalformedJsonEmptyBodiesAndNonObjects() {
            assertThatThrownBy(() -> PaymentJson.decodeResult("{\"paymentId\":".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(MalformedResultException.class).hasMessageStartingWith("malformed JSON at offset");
            assertThatThrownBy(() -> PaymentJson.decodeResult(new byte[0]))
                    .isInstanceOf(MalformedResultException.class).hasMessageContaining("empty record");
            assertThatThrownBy(() -> PaymentJson.decodeResult("[]".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(MalformedResultException.class).hasMessage("expected a JSON object");
        }

        @Test
        void namesTextThatIsNotUtf8InsteadOfThrowingAnIoError() {
            // Jackson takes 00 00 00 7B for UTF-32; 0x7F000000 is beyond U+10FFFF
            byte[] utf32 = {0, 0, 0, '{', 0x7F, 0, 0, 0};

            assertThatThrownBy(() -> PaymentJson.decodeResult(utf32)).isInstanceOf(MalformedResultException.class)
                    .hasMessageStartingWith("not valid text (Invalid UTF-32 character");
            assertThat(PaymentJson.decodeRequest(utf32).problems()).singleElement().asString()
                    .startsWith("body: not valid text (Invalid UTF-32 character");
        }

        @Test
        void namesTooDeeplyNestedResultsAsMalformed() {
            byte[] json = ("{\"paymentId\":\"p\",\"x\":" + "[".repeat(20) + "]".repeat(20) + "}")
                    .getBytes(StandardCharsets.UTF_8);

            assertThatThrownBy(() -> PaymentJson.decodeResult(json)).isInstanceOf(MalformedResultException.class)
                    .hasMessageStartingWith("malformed JSON: ").hasMessageContaining("nesting depth");
        }

        @Test
        void writesStatusAsItsName() {
            PaymentResult r = PaymentResult.approved(request(), "ch_1", 1, CREATED);

            assertThat(new String(PaymentJson.encodeResult(r), StandardCharsets.UTF_8))
                    .contains("\"status\":\"APPROVED\"", "\"amount\":\"12.50\"", "\"requestedAt\":\"2026-01-31T12:00:00Z\"");
        }
    }

    /** The ledger's door: {@code decodeRequest(key, value, rules)}. */
    @Nested
    class StrictDoorCheck {
        private final RequestRules rules = new RequestRules(
                Clock.fixed(Instant.parse("2026-01-31T12:01:00Z"), ZoneOffset.UTC), Duration.ofMinutes(5), Duration.ofDays(7));
        private final byte[] key = "pay-1".getBytes(StandardCharsets.UTF_8);

        private RequestCheck strict(byte[] value) {
            return PaymentJson.decodeRequest(key, value, rules);
        }

        private static byte[] bytes(int... values) {
            byte[] out = new byte[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = (byte) values[i];
            }
            return out;
        }

        /** A valid request whose customerId holds these raw UTF-8 bytes. */
        private static byte[] withCustomerBytes(byte[] raw) {
            byte[] doc = requestWith("customerId", "\"#\"");
            String text = new String(doc, StandardCharsets.ISO_8859_1);
            int at = text.indexOf('#');
            byte[] out = new byte[doc.length - 1 + raw.length];
            System.arraycopy(doc, 0, out, 0, at);
            System.arraycopy(raw, 0, out, at, raw.length);
            System.arraycopy(doc, at + 1, out, at + raw.length, doc.length - at - 1);
            return out;
        }

        @Test
        void acceptsTheRequestTheLenientCheckAccepts() {
            RequestCheck check = strict(requestWith("paymentId", "\"pay-1\""));

            assertThat(check.isValid()).as(check.problems().toString()).isTrue();
            assertThat(check.request()).isEqualTo(PaymentJson.decodeRequest(requestWith("paymentId", "\"pay-1\"")).request());
        }

        @Test
        void acceptsNonAsciiTextInValidUtf8() {
            RequestCheck check = strict(withCustomerBytes("Jürgen Åström 山田".getBytes(StandardCharsets.UTF_8)));

            assertThat(check.isValid()).as(check.problems().toString()).isTrue();
            assertThat(check.request().customerId()).isEqualTo("Jürgen Åström 山田");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({
            "overlong slash, C0AF",
            "overlong three-byte, E080AF",
            "UTF-8 encoded surrogate, EDA080",
            "truncated two-byte, C3",
            "truncated three-byte, E282",
            "lone continuation byte, 80",
            "beyond U+10FFFF, F4908080"})
        void refusesBytesThatAreNotValidUtf8(String what, String hex) {
            byte[] raw = java.util.HexFormat.of().parseHex(hex);

            RequestCheck check = strict(withCustomerBytes(raw));

            assertThat(check.isValid()).isFalse();
            assertThat(check.problems()).singleElement().asString().startsWith("body: not valid UTF-8 at byte offset");
        }

        @Test
        void refusesAUtf8ByteOrderMark() {
            byte[] doc = requestWith("paymentId", "\"pay-1\"");
            byte[] withBom = new byte[doc.length + 3];
            System.arraycopy(bytes(0xEF, 0xBB, 0xBF), 0, withBom, 0, 3);
            System.arraycopy(doc, 0, withBom, 3, doc.length);

            assertThat(strict(withBom).problems()).singleElement().asString().contains("UTF-8 byte-order mark");
            assertThat(PaymentJson.decodeRequest(withBom).isValid()).as("the lenient check skips a BOM").isTrue();
        }

        @Test
        void refusesUtf16WithOrWithoutAByteOrderMark() {
            String json = new String(requestWith("paymentId", "\"pay-1\""), StandardCharsets.UTF_8);

            assertThat(strict(json.getBytes(StandardCharsets.UTF_16)).problems()).singleElement().asString()
                    .contains("UTF-16 byte-order mark");
            assertThat(strict(json.getBytes(StandardCharsets.UTF_16LE)).problems()).singleElement().asString()
                    .contains("NUL byte");
        }

        @Test
        void refusesAFieldThatAppearsTwiceNamingIt() {
            byte[] json = "{\"paymentId\":\"pay-1\",\"amount\":\"1.00\",\"amount\":\"1000.00\"}".getBytes(StandardCharsets.UTF_8);

            RequestCheck check = strict(json);

            assertThat(check.problems()).singleElement().asString().startsWith("body: field 'amount' appears twice");
            assertThat(check.paymentId()).isEqualTo("pay-1");
            assertThat(PaymentJson.decodeRequest(json).problems()).noneMatch(p -> p.contains("twice"));
        }

        @Test
        void refusesAMissingEmptyOrDifferentKey() {
            byte[] doc = requestWith("paymentId", "\"pay-1\"");

            assertThat(PaymentJson.decodeRequest(null, doc, rules).problems()).containsExactly(
                    "key: missing; the record key must be the paymentId");
            assertThat(PaymentJson.decodeRequest(new byte[0], doc, rules).problems()).containsExactly(
                    "key: empty; the record key must be the paymentId");
            assertThat(PaymentJson.decodeRequest("pay-2".getBytes(StandardCharsets.UTF_8), doc, rules).problems())
                    .containsExactly("key: the record key must equal paymentId, was 'pay-2'");
            assertThat(PaymentJson.decodeRequest(bytes(0xC0, 0xAF), doc, rules).problems())
                    .containsExactly("key: not valid UTF-8");
        }

        @ParameterizedTest(name = "U+{0}")
        @ValueSource(strings = {"0000", "0007", "001B", "007F", "200B", "200E", "202E", "2066", "FEFF", "2028", "E000"})
        void refusesControlFormatAndBidiCharactersInTextFieldsNamingTheCodePoint(String codePoint) {
            String ch = new String(Character.toChars(Integer.parseInt(codePoint, 16)));
            String escaped = String.format("\\u%s", codePoint);

            for (String field : List.of("orderId", "customerId")) {
                RequestCheck check = strict(requestWith(field, "\"abc" + escaped + "def\""));
                assertThat(check.problems()).as(field).singleElement().asString()
                        .startsWith(field + ": must not contain control")
                        .contains("U+" + codePoint + " at index 3")
                        .doesNotContain(ch);
            }
            assertThat(strict(requestWith("metadata", "{\"k\":\"v" + escaped + "\"}")).problems())
                    .singleElement().asString().startsWith("metadata.k: must not contain control");
            assertThat(strict(requestWith("paymentId", "\"pay" + escaped + "\"")).isValid()).isFalse();
        }

        @Test
        void refusesALoneSurrogateButAcceptsAPairedOne() {
            assertThat(strict(requestWith("customerId", "\"a\\uD800b\"")).problems()).singleElement().asString()
                    .contains("U+D800");
            assertThat(strict(requestWith("customerId", "\"a\\uD83D\\uDE00b\"")).isValid()).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"4242424242424242", "4242 4242 4242 4242", "4111-1111-1111-1111", "378282246310005"})
        void refusesARawCardNumberAsPaymentMethodWithoutEchoingIt(String pan) {
            RequestCheck check = strict(requestWith("paymentMethod", "\"" + pan + "\""));

            assertThat(check.problems()).singleElement().asString()
                    .startsWith("paymentMethod: looks like a raw card number")
                    .doesNotContain(pan).doesNotContain("4242").doesNotContain("1111").doesNotContain("0005");
        }

        @ParameterizedTest
        @ValueSource(strings = {"tok visa", "tok/visa", "tok+abc=", "t\\u00f6k", ""})
        void refusesATokenOutsideItsCharacterSetWithoutEchoingIt(String token) {
            RequestCheck check = strict(requestWith("paymentMethod", "\"" + token + "\""));

            assertThat(check.problems()).singleElement().asString()
                    .startsWith("paymentMethod: must be an opaque token").endsWith("(value not shown)");
        }

        @Test
        void acceptsADigitStringThatFailsLuhnAsAnOpaqueToken() {
            assertThat(strict(requestWith("paymentMethod", "\"4242424242424241\"")).isValid()).isTrue();
        }

        @Test
        void refusesCreatedAtBeyondTheSkewOrOlderThanRetention() {
            assertThat(strict(requestWith("createdAt", "\"2026-01-31T12:06:01Z\"")).problems()).singleElement()
                    .asString().startsWith("createdAt: more than PT5M in the future");
            assertThat(strict(requestWith("createdAt", "\"2026-01-31T12:06:00Z\"")).isValid()).isTrue();
            assertThat(strict(requestWith("createdAt", "\"2026-01-24T12:00:59Z\"")).problems()).singleElement()
                    .asString().startsWith("createdAt: older than the ledger's retention of PT168H");
            assertThat(strict(requestWith("createdAt", "\"2026-01-24T12:01:00Z\"")).isValid()).isTrue();
        }

        @Test
        void reportsEveryProblemAtOnceIncludingTheKey() {
            RequestCheck check = PaymentJson.decodeRequest(null, requestWith("amount", "\"12.505\""), rules);

            assertThat(check.problems()).containsExactly("key: missing; the record key must be the paymentId",
                    "amount: EUR allows 2 fraction digits, was 12.505");
        }

        @Test
        void masksLongDigitRunsWhenEchoingAKey() {
            RequestCheck check = PaymentJson.decodeRequest("4242424242424242".getBytes(StandardCharsets.UTF_8),
                    requestWith("paymentId", "\"pay-1\""), rules);

            assertThat(check.describeProblems()).doesNotContain("4242424242424242").contains("'****'");
        }
    }
}
