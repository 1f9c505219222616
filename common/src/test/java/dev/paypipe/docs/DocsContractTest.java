package dev.paypipe.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.paypipe.json.PaymentJson;
import dev.paypipe.model.PaymentRequest;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.model.RequestCheck;
import dev.paypipe.model.RequestRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keeps {@code docs/contract.md}, {@code docs/schemas/*.schema.json} and their examples honest: every
 * example must pass both the JSON Schema and {@link PaymentJson}, and schema and decoder must agree
 * on what is valid except where the schema's description says it cannot express a rule.
 */
class DocsContractTest {
    private static final Path DOCS = Path.of(System.getProperty("basedir", ".")).resolve("../docs").normalize();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchema REQUEST_SCHEMA = schema("payment-request.schema.json");
    private static final JsonSchema RESULT_SCHEMA = schema("payment-result.schema.json");
    /** A fenced JSON block in contract.md, preceded by {@code <!-- example: KIND -->}. */
    private static final Pattern EXAMPLE = Pattern.compile("(?:<!-- example: ([a-z-]+) -->\\n)?```json\\n(.*?)```",
            Pattern.DOTALL);

    private static JsonSchema schema(String name) {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try {
            JsonNode node = MAPPER.readTree(DOCS.resolve("schemas").resolve(name).toFile());
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(node, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<ValidationMessage> validate(JsonSchema schema, String json) {
        try {
            return schema.validate(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> contractExamples() {
        Matcher m = EXAMPLE.matcher(read(DOCS.resolve("contract.md")));
        List<Arguments> examples = new ArrayList<>();
        while (m.find()) {
            examples.add(Arguments.of(m.group(1), m.group(2)));
        }
        return examples.stream();
    }

    static Stream<Arguments> exampleFiles() throws IOException {
        try (Stream<Path> files = Files.list(DOCS.resolve("schemas/examples"))) {
            return files.sorted().map(f -> {
                String name = f.getFileName().toString();
                String kind = name.startsWith("invalid-payment-request") ? "invalid-request"
                        : name.startsWith("payment-request") ? "request" : "result";
                return Arguments.of(kind, read(f));
            }).toList().stream();
        }
    }

    @Test
    void contractShowsEveryKindOfExample() {
        assertThat(contractExamples().map(a -> (String) a.get()[0]))
                .contains("request", "invalid-request", "result").doesNotContainNull();
    }

    @ParameterizedTest
    @MethodSource({"contractExamples", "exampleFiles"})
    void examplePassesSchemaAndDecoder(String kind, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        switch (kind) {
            case "request" -> {
                RequestCheck check = PaymentJson.decodeRequest(bytes);
                assertThat(check.isValid()).as(check.problems().toString()).isTrue();
                assertThat(validate(REQUEST_SCHEMA, json)).isEmpty();
            }
            case "invalid-request" -> {
                assertThat(PaymentJson.decodeRequest(bytes).isValid()).isFalse();
                assertThat(validate(REQUEST_SCHEMA, json)).isNotEmpty();
            }
            case "result" -> {
                PaymentJson.decodeResult(bytes);
                assertThat(validate(RESULT_SCHEMA, json)).isEmpty();
            }
            default -> throw new AssertionError("unknown example kind " + kind);
        }
    }

    /** The ledger's door applies the strict check: every documented request passes it, every invalid one fails it. */
    @ParameterizedTest
    @MethodSource({"contractExamples", "exampleFiles"})
    void requestExamplesMeetTheLedgersStrictCheckAlike(String kind, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        RequestCheck lenient = PaymentJson.decodeRequest(bytes);
        if (!kind.endsWith("request") || lenient.paymentId() == null) {
            return;
        }
        RequestCheck strict = PaymentJson.decodeRequest(lenient.paymentId().getBytes(StandardCharsets.UTF_8), bytes,
                rulesAt(lenient.isValid() ? lenient.request().createdAt() : Instant.parse("2026-01-31T12:00:00Z")));
        assertThat(strict.isValid()).as(strict.problems().toString()).isEqualTo(kind.equals("request"));
    }

    /** The schema's token pattern is the door's: both refuse what is not an opaque token. */
    @ParameterizedTest
    @ValueSource(strings = {"\"paymentMethod\":\"tok visa\"", "\"paymentMethod\":\"4242 4242 4242 4242\"",
        "\"paymentMethod\":\"tok/1\""})
    void schemaAndTheLedgersStrictCheckBothRefuse(String field) {
        String json = withField(field);
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

        RequestCheck strict = PaymentJson.decodeRequest("pay_2026-01-31_000042".getBytes(StandardCharsets.UTF_8), bytes,
                rulesAt(Instant.parse("2026-01-31T12:00:00Z")));
        assertThat(strict.isValid()).as("strict decoder").isFalse();
        assertThat(validate(REQUEST_SCHEMA, json)).as("schema").isNotEmpty();
    }

    private static RequestRules rulesAt(Instant now) {
        return new RequestRules(Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(5), Duration.ofDays(7));
    }

    @Test
    void rejectedExampleShowsTheProblemsTheDecoderReallyReports() {
        Map.Entry<String, String> pair = rejectedPairInContract();
        RequestCheck check = PaymentJson.decodeRequest(pair.getKey().getBytes(StandardCharsets.UTF_8));
        PaymentResult shown = PaymentJson.decodeResult(pair.getValue().getBytes(StandardCharsets.UTF_8));

        assertThat(shown.status()).isEqualTo(PaymentStatus.REJECTED);
        assertThat(shown.reason()).isEqualTo(check.describeProblems());
        assertThat(shown.paymentId()).isEqualTo(check.paymentId());
        assertThat(shown.orderId()).isEqualTo(check.orderId());
    }

    private static Map.Entry<String, String> rejectedPairInContract() {
        List<Arguments> examples = contractExamples().toList();
        for (int i = 0; i + 1 < examples.size(); i++) {
            if ("invalid-request".equals(examples.get(i).get()[0])) {
                return Map.entry((String) examples.get(i).get()[1], (String) examples.get(i + 1).get()[1]);
            }
        }
        throw new AssertionError("contract.md has no invalid-request example followed by its result");
    }

    @Test
    void whatTheEncoderWritesPassesTheSchemas() {
        PaymentRequest request = new PaymentRequest("pay-1", "order-1", new BigDecimal("1500"), "JPY", "cus-1",
                "tok_visa_4242424242", Instant.parse("2026-01-31T12:00:00.123Z"), Map.of("k", "v"));
        assertThat(validate(REQUEST_SCHEMA, new String(PaymentJson.encodeRequest(request), StandardCharsets.UTF_8)))
                .isEmpty();

        Instant done = Instant.parse("2026-01-31T12:00:01Z");
        for (PaymentStatus status : PaymentStatus.values()) {
            PaymentResult full = PaymentResult.of(request, status, "ch_1", "do_not_honor", "timeout", "why", 3, done);
            assertThat(validate(RESULT_SCHEMA, new String(PaymentJson.encodeResult(full), StandardCharsets.UTF_8)))
                    .as(status.name()).isEmpty();
        }
        PaymentResult minimal = new PaymentResult("pay 1", null, PaymentStatus.REJECTED, null, null, null, null,
                "invalid_request", "amount: required", 0, null, done);
        assertThat(validate(RESULT_SCHEMA, new String(PaymentJson.encodeResult(minimal), StandardCharsets.UTF_8)))
                .isEmpty();
    }

    /** Documents that both the schema and the decoder refuse these (one field changed from a valid request). */
    @ParameterizedTest
    @ValueSource(strings = {
        "\"paymentId\":\"pay 1\"", "\"paymentId\":\"\"", "\"paymentId\":7",
        "\"amount\":12.5", "\"amount\":\"1e3\"", "\"amount\":\"-5\"", "\"amount\":\"+5\"", "\"amount\":\".5\"",
        "\"amount\":\"12.34567\"", "\"amount\":\"12,50\"",
        "\"currency\":\"eur\"", "\"currency\":\"EURO\"",
        "\"createdAt\":\"yesterday\"", "\"createdAt\":\"2026-01-31T12:00:00\"",
        "\"orderId\":\"\"", "\"orderId\":\"   \"", "\"customerId\":null", "\"paymentMethod\":[\"tok\"]",
        "\"metadata\":{\"n\":3}", "\"metadata\":\"web\"", "\"metadata\":{\"\":\"v\"}"})
    void schemaAndDecoderBothRefuse(String field) {
        String json = withField(field);

        assertThat(PaymentJson.decodeRequest(json.getBytes(StandardCharsets.UTF_8)).isValid()).as("decoder").isFalse();
        assertThat(validate(REQUEST_SCHEMA, json)).as("schema").isNotEmpty();
    }

    /** Rules the schema's description says it cannot express: only the decoder refuses these. */
    @ParameterizedTest
    @ValueSource(strings = {"\"amount\":\"12.505\"", "\"amount\":\"0.00\"", "\"currency\":\"ABC\"",
        "\"amount\":\"10000000000000000\""})
    void onlyTheDecoderRefusesWhatTheSchemaCannotExpress(String field) {
        String json = withField(field);

        assertThat(PaymentJson.decodeRequest(json.getBytes(StandardCharsets.UTF_8)).isValid()).isFalse();
        assertThat(validate(REQUEST_SCHEMA, json)).isEmpty();
    }

    @Test
    void bothAcceptUnknownFieldsAndNullMetadata() {
        String json = withField("\"metadata\":null").replace("{", "{\"schemaVersion\":2,");

        assertThat(PaymentJson.decodeRequest(json.getBytes(StandardCharsets.UTF_8)).isValid()).isTrue();
        assertThat(validate(REQUEST_SCHEMA, json)).isEmpty();
    }

    @Test
    void resultSchemaAndDecoderBothRefuseAnUnknownStatusOrMissingFields() {
        for (String json : List.of(
                "{\"paymentId\":\"p\",\"status\":\"MAYBE\",\"completedAt\":\"2026-01-31T12:00:00Z\"}",
                "{\"paymentId\":\"p\",\"status\":\"APPROVED\"}",
                "{\"status\":\"APPROVED\",\"completedAt\":\"2026-01-31T12:00:00Z\"}",
                "{\"paymentId\":\"p\",\"status\":\"APPROVED\",\"attempts\":-1,\"completedAt\":\"2026-01-31T12:00:00Z\"}",
                "{\"paymentId\":\"p\",\"status\":\"APPROVED\",\"attempts\":null,\"completedAt\":\"2026-01-31T12:00:00Z\"}")) {
            assertThat(validate(RESULT_SCHEMA, json)).as(json).isNotEmpty();
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> PaymentJson.decodeResult(json.getBytes(StandardCharsets.UTF_8))).as(json)
                    .isInstanceOf(dev.paypipe.json.MalformedResultException.class);
        }
    }

    /** The contract example request with one field replaced (or added) by {@code "name":value}. */
    private static String withField(String field) {
        String name = field.substring(1, field.indexOf('"', 1));
        String base = read(DOCS.resolve("schemas/examples/payment-request.json"));
        String replaced = base.replaceFirst("\"" + name + "\"\\s*:\\s*(\"[^\"]*\"|\\{[^}]*\\})",
                Matcher.quoteReplacement(field));
        return replaced.equals(base) ? base.replaceFirst("\\{", Matcher.quoteReplacement("{" + field + ",")) : replaced;
    }
}
