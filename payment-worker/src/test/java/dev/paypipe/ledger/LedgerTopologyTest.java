package dev.paypipe.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.json.PaymentJson;
import dev.paypipe.kafka.PaymentHeaders;
import dev.paypipe.kafka.TopicLayout;
import dev.paypipe.model.PaymentRequest;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ledger's door and exit as specifications, driven by {@link TopologyTestDriver} and a hand-moved clock. */
class LedgerTopologyTest {
    private static final Instant START = Instant.parse("2026-01-31T12:00:00Z");
    private static final TopicLayout TOPICS = TopicLayout.defaults();
    private static final String REROUTE = "paypipe-ledger-door-reroute";

    private final MutableClock clock = new MutableClock(START);
    private final LedgerMetrics metrics = new LedgerMetrics(new SimpleMeterRegistry());
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> requests;
    private TestInputTopic<byte[], byte[]> outcomes;
    private TestOutputTopic<byte[], byte[]> accepted;
    private TestOutputTopic<byte[], byte[]> results;
    private TestOutputTopic<byte[], byte[]> dlq;
    private TestOutputTopic<byte[], byte[]> resultsDlq;

    LedgerTopologyTest() {
        start(1);
    }

    private void start(int partitions) {
        if (driver != null) {
            driver.close();
        }
        driver = LedgerTestDriver.start(TOPICS, REROUTE, partitions, clock, metrics, START);
        ByteArraySerializer ser = new ByteArraySerializer();
        ByteArrayDeserializer de = new ByteArrayDeserializer();
        requests = driver.createInputTopic(TOPICS.requests(), ser, ser);
        outcomes = driver.createInputTopic(TOPICS.outcomes(), ser, ser);
        accepted = driver.createOutputTopic(TOPICS.accepted(), de, de);
        results = driver.createOutputTopic(TOPICS.results(), de, de);
        dlq = driver.createOutputTopic(TOPICS.requestsDlq(), de, de);
        resultsDlq = driver.createOutputTopic(TOPICS.resultsDlq(), de, de);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    // ------------------------------------------------------------------ given

    private PaymentRequest request(String id) {
        return new PaymentRequest(id, "order-" + id, new BigDecimal("12.50"), "EUR", "cus-1", "tok_visa_4242424242",
                START.minusSeconds(30), Map.of());
    }

    private void publish(PaymentRequest r) {
        requests.pipeInput(bytes(r.paymentId()), PaymentJson.encodeRequest(r));
    }

    private void publishRaw(byte[] key, byte[] value) {
        requests.pipeInput(key, value);
    }

    private void outcome(PaymentResult r) {
        outcomes.pipeInput(bytes(r.paymentId()), PaymentJson.encodeResult(r));
    }

    private void progress(String id, int attempt, long dueAt, String lastErrorClass) {
        Headers h = new RecordHeaders();
        PaymentHeaders.put(h, PaymentHeaders.PROGRESS, PaymentHeaders.PROGRESS_RETRYING);
        PaymentHeaders.put(h, PaymentHeaders.ATTEMPT, attempt);
        PaymentHeaders.put(h, PaymentHeaders.DUE_AT, dueAt);
        PaymentHeaders.put(h, PaymentHeaders.LAST_ERROR_CLASS, lastErrorClass);
        outcomes.pipeInput(new TestRecord<>(bytes(id), new byte[0], h));
    }

    private PaymentResult result(PaymentRequest r, PaymentStatus status) {
        return PaymentResult.of(r, status, status == PaymentStatus.APPROVED ? "ch_1" : null, null,
                status == PaymentStatus.UNKNOWN ? "timeout" : null, null, 1, clock.instant());
    }

    private LedgerEntry entry(String id) {
        return driver.<String, LedgerEntry>getKeyValueStore(LedgerTopology.STORE).get(id);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private List<PaymentResult> readResults() {
        return results.readValuesToList().stream().map(PaymentJson::decodeResult).toList();
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        return PaymentHeaders.string(r.headers(), name);
    }

    /** A valid request document with one field's raw JSON replaced. */
    private byte[] requestWith(String field, String rawJson) {
        String json = new String(PaymentJson.encodeRequest(request("pay-1")), StandardCharsets.UTF_8);
        return bytes(json.replaceFirst("\"" + field + "\":(\"[^\"]*\")", "\"" + field + "\":"
                + Matcher.quoteReplacement(rawJson)));
    }

    // ------------------------------------------------------------------ door

    @Nested
    class Door {
        @Test
        void forwardsANewValidPaymentToAcceptedUnchangedAndRecordsItAsAccepted() {
            PaymentRequest r = request("pay-1");

            publish(r);

            TestRecord<byte[], byte[]> out = accepted.readRecord();
            assertThat(text(out.key())).isEqualTo("pay-1");
            assertThat(out.value()).isEqualTo(PaymentJson.encodeRequest(r));
            assertThat(accepted.isEmpty()).isTrue();
            assertThat(results.isEmpty()).isTrue();
            assertThat(entry("pay-1").phase()).isEqualTo(LedgerEntry.Phase.ACCEPTED);
            assertThat(metrics.accepted()).isEqualTo(1);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "overlong encoding | C0AF | body: not valid UTF-8",
            "UTF-8 encoded surrogate | EDA080 | body: not valid UTF-8",
            "truncated sequence | E282 | body: not valid UTF-8"})
        void rejectsBytesThatAreNotUtf8(String what, String hex, String problem) {
            String json = new String(PaymentJson.encodeRequest(request("pay-1")), StandardCharsets.ISO_8859_1);
            byte[] bad = (json.replace("cus-1", "cus-#")).getBytes(StandardCharsets.ISO_8859_1);
            byte[] raw = HexFormat.of().parseHex(hex);
            int at = new String(bad, StandardCharsets.ISO_8859_1).indexOf('#');
            byte[] value = new byte[bad.length - 1 + raw.length];
            System.arraycopy(bad, 0, value, 0, at);
            System.arraycopy(raw, 0, value, at, raw.length);
            System.arraycopy(bad, at + 1, value, at + raw.length, bad.length - at - 1);

            publishRaw(bytes("pay-1"), value);

            assertRejected("pay-1", problem, value);
        }

        @Test
        void rejectsAUtf8ByteOrderMark() {
            byte[] doc = PaymentJson.encodeRequest(request("pay-1"));
            byte[] value = new byte[doc.length + 3];
            value[0] = (byte) 0xEF;
            value[1] = (byte) 0xBB;
            value[2] = (byte) 0xBF;
            System.arraycopy(doc, 0, value, 3, doc.length);

            publishRaw(bytes("pay-1"), value);

            assertRejected("pay-1", "body: starts with a UTF-8 byte-order mark", value);
        }

        @Test
        void rejectsUtf16() {
            byte[] value = new String(PaymentJson.encodeRequest(request("pay-1")), StandardCharsets.UTF_8)
                    .getBytes(StandardCharsets.UTF_16);

            publishRaw(bytes("pay-1"), value);

            assertRejected("pay-1", "body: starts with a UTF-16 byte-order mark", value);
        }

        @Test
        void rejectsAFieldThatAppearsTwice() {
            byte[] value = bytes(new String(PaymentJson.encodeRequest(request("pay-1")), StandardCharsets.UTF_8)
                    .replace("{", "{\"amount\":\"9999.00\","));

            publishRaw(bytes("pay-1"), value);

            assertRejected("pay-1", "body: field 'amount' appears twice", value);
        }

        @Test
        void rejectsAMissingKeyAndFilesItUnderThePaymentId() {
            byte[] value = PaymentJson.encodeRequest(request("pay-1"));

            publishRaw(null, value);

            assertRejected("pay-1", "key: missing", value);
            assertThat(dlqKeyWasNull).isTrue();
        }

        @Test
        void rejectsAnEmptyKey() {
            byte[] value = PaymentJson.encodeRequest(request("pay-1"));

            publishRaw(new byte[0], value);

            assertRejected("pay-1", "key: empty", value);
        }

        @Test
        void rejectsAKeyThatDiffersFromThePaymentId() {
            byte[] value = PaymentJson.encodeRequest(request("pay-1"));

            publishRaw(bytes("pay-2"), value);

            assertRejected("pay-1", "key: the record key must equal paymentId, was 'pay-2'", value);
        }

        @Test
        void rejectsControlFormatAndBidiCharactersInIds() {
            for (String[] c : new String[][] {{"orderId", "\"order\\u0000-1\"", "U+0000"},
                    {"customerId", "\"cus\\u202E-1\"", "U+202E"}, {"orderId", "\"o\\u200B1\"", "U+200B"}}) {
                byte[] value = requestWith(c[0], c[1]);

                publishRaw(bytes("pay-1"), value);

                assertRejected("pay-1", c[0] + ": must not contain control", value);
                assertThat(results.isEmpty()).isTrue();
                driver.<String, LedgerEntry>getKeyValueStore(LedgerTopology.STORE).delete("pay-1");
            }
        }

        @Test
        void rejectsARawCardNumberAndNeverEchoesItInResultOrHeaders() {
            byte[] value = requestWith("paymentMethod", "\"4242424242424242\"");

            publishRaw(bytes("pay-1"), value);

            TestRecord<byte[], byte[]> dead = assertRejected("pay-1", "paymentMethod: looks like a raw card number",
                    value);
            dead.headers().forEach(h -> assertThat(text(h.value())).doesNotContain("4242424242424242"));
            assertThat(lastResult.reason()).doesNotContain("4242424242424242");
        }

        @Test
        void rejectsCreatedAtBeyondTheSkewAndOlderThanRetention() {
            publishRaw(bytes("pay-1"), requestWith("createdAt", "\"2026-01-31T12:05:01Z\""));
            assertThat(readResults()).singleElement()
                    .satisfies(r -> assertThat(r.reason()).startsWith("createdAt: more than PT5M in the future"));

            publishRaw(bytes("pay-2"), bytes(new String(requestWith("createdAt", "\"2026-01-24T11:59:59Z\""),
                    StandardCharsets.UTF_8).replace("pay-1", "pay-2")));
            assertThat(readResults()).singleElement()
                    .satisfies(r -> assertThat(r.reason()).startsWith("createdAt: older than the ledger's retention"));
        }

        @Test
        void rejectsTooManyFractionDigitsForTheCurrencyAndAmountsAboveTheLimit() {
            publishRaw(bytes("pay-1"), requestWith("amount", "\"12.505\""));
            publishRaw(bytes("pay-2"), bytes(new String(requestWith("amount", "\"10000000000000000\""),
                    StandardCharsets.UTF_8).replace("pay-1", "pay-2")));

            // A run of 13 or more digits is never echoed: it may be a card number sent as an amount.
            assertThat(readResults()).extracting(PaymentResult::reason).containsExactly(
                    "amount: EUR allows 2 fraction digits, was 12.505",
                    "amount: must be at most 9999999999999999, was ****");
        }

        @Test
        void namesAnUnusableRecordByItsOrigin() {
            publishRaw(null, bytes("not json"));

            PaymentResult r = readResults().get(0);
            assertThat(r.paymentId()).isEqualTo("invalid:" + TOPICS.requests() + "-0@0");
            assertThat(r.status()).isEqualTo(PaymentStatus.REJECTED);
            assertThat(dlq.readRecord().key()).isNull();
        }

        @Test
        void aRejectedPaymentIdIsFinalSoALaterValidCopyIsNotCharged() {
            publishRaw(bytes("pay-1"), requestWith("amount", "\"12.505\""));
            readResults();

            publish(request("pay-1"));

            assertThat(accepted.isEmpty()).isTrue();
            assertThat(results.isEmpty()).isTrue();
            assertThat(metrics.duplicatesDropped()).isEqualTo(1);
            assertThat(entry("pay-1").status()).isEqualTo(PaymentStatus.REJECTED);
        }

        @Test
        void anInvalidCopyOfAKnownPaymentIsDeadLetteredWithoutASecondResult() {
            publish(request("pay-1"));
            accepted.readRecord();

            publishRaw(bytes("pay-1"), requestWith("amount", "\"12.505\""));

            assertThat(results.isEmpty()).isTrue();
            TestRecord<byte[], byte[]> dead = dlq.readRecord();
            assertThat(header(dead, PaymentHeaders.ERROR_CLASS)).isEqualTo("invalid_request");
            assertThat(header(dead, PaymentHeaders.ERROR_MESSAGE)).contains("its first request stands");
            assertThat(entry("pay-1").phase()).isEqualTo(LedgerEntry.Phase.ACCEPTED);
        }

        private PaymentResult lastResult;
        private boolean dlqKeyWasNull;

        /** Then: one REJECTED result naming the problem, and the raw record dead-lettered with the reason. */
        private TestRecord<byte[], byte[]> assertRejected(String id, String problem, byte[] value) {
            List<TestRecord<byte[], byte[]>> out = results.readRecordsToList();
            assertThat(out).hasSize(1);
            assertThat(text(out.get(0).key())).isEqualTo(id);
            lastResult = PaymentJson.decodeResult(out.get(0).value());
            assertThat(lastResult.status()).isEqualTo(PaymentStatus.REJECTED);
            assertThat(lastResult.paymentId()).isEqualTo(id);
            assertThat(lastResult.errorClass()).isEqualTo("invalid_request");
            assertThat(lastResult.reason()).contains(problem);
            assertThat(accepted.isEmpty()).as("nothing reaches the worker").isTrue();

            TestRecord<byte[], byte[]> dead = dlq.readRecord();
            assertThat(dead.value()).isEqualTo(value);
            dlqKeyWasNull = dead.key() == null;
            assertThat(header(dead, PaymentHeaders.ERROR_CLASS)).isEqualTo("invalid_request");
            assertThat(header(dead, PaymentHeaders.ERROR_MESSAGE)).contains(problem);
            assertThat(header(dead, PaymentHeaders.ORIGIN)).startsWith(TOPICS.requests() + "-0@");
            assertThat(header(dead, PaymentHeaders.DEAD_LETTERED_AT)).isEqualTo(clock.instant().toString());
            assertThat(entry(id).status()).isEqualTo(PaymentStatus.REJECTED);
            return dead;
        }
    }

    // ------------------------------------------------------------------ duplicates and conflicts

    @Nested
    class Duplicates {
        @Test
        void aBackToBackCopyIsDroppedAndCounted() {
            publish(request("pay-1"));
            publish(request("pay-1"));

            assertThat(accepted.readRecordsToList()).hasSize(1);
            assertThat(dlq.isEmpty()).isTrue();
            assertThat(metrics.duplicatesDropped()).isEqualTo(1);
        }

        @Test
        void aCopyAfterTheFirstFinishedIsDroppedAndGetsNoSecondResult() {
            PaymentRequest r = request("pay-1");
            publish(r);
            outcome(result(r, PaymentStatus.APPROVED));
            assertThat(readResults()).hasSize(1);

            publish(r);

            assertThat(accepted.readRecordsToList()).hasSize(1);
            assertThat(results.isEmpty()).isTrue();
            assertThat(metrics.duplicatesDropped()).isEqualTo(1);
        }

        @Test
        void theSameAmountWrittenWithATrailingZeroIsADuplicate() {
            publish(request("pay-1"));
            publishRaw(bytes("pay-1"), requestWith("amount", "\"12.5\""));

            assertThat(accepted.readRecordsToList()).hasSize(1);
            assertThat(metrics.duplicatesDropped()).isEqualTo(1);
        }

        @Test
        void aCopyWithAnotherAmountIsRefusedAsAConflictAndTheFirstOutcomeStands() {
            PaymentRequest first = request("pay-1");
            publish(first);
            PaymentRequest conflicting = new PaymentRequest("pay-1", first.orderId(), new BigDecimal("99.00"), "EUR",
                    first.customerId(), first.paymentMethod(), first.createdAt(), Map.of());

            publish(conflicting);
            outcome(result(first, PaymentStatus.APPROVED));

            assertThat(accepted.readRecordsToList()).hasSize(1);
            TestRecord<byte[], byte[]> dead = dlq.readRecord();
            assertThat(dead.value()).isEqualTo(PaymentJson.encodeRequest(conflicting));
            assertThat(header(dead, PaymentHeaders.ERROR_CLASS)).isEqualTo(LedgerTopology.IDEMPOTENCY_CONFLICT);
            assertThat(header(dead, PaymentHeaders.ERROR_MESSAGE)).contains("amount differ", "the first request stands");
            assertThat(readResults()).singleElement().satisfies(r -> {
                assertThat(r.status()).isEqualTo(PaymentStatus.APPROVED);
                assertThat(r.amount()).isEqualByComparingTo("12.50");
            });
            assertThat(metrics.conflictsRefused()).isEqualTo(1);
        }

        @Test
        void aConflictAfterTheFirstFinishedIsStillRefusedWithoutASecondResult() {
            PaymentRequest first = request("pay-1");
            publish(first);
            outcome(result(first, PaymentStatus.DECLINED));
            readResults();

            publishRaw(bytes("pay-1"), requestWith("customerId", "\"cus-2\""));

            assertThat(header(dlq.readRecord(), PaymentHeaders.ERROR_MESSAGE)).contains("customerId differ");
            assertThat(results.isEmpty()).isTrue();
            assertThat(entry("pay-1").status()).isEqualTo(PaymentStatus.DECLINED);
        }
    }

    // ------------------------------------------------------------------ exit

    @Nested
    class Exit {
        @Test
        void passesTheFirstFinalResultAndDropsEveryRepeat() {
            PaymentRequest r = request("pay-1");
            publish(r);

            outcome(result(r, PaymentStatus.APPROVED));
            outcome(result(r, PaymentStatus.APPROVED));
            outcome(result(r, PaymentStatus.DECLINED));
            outcome(result(r, PaymentStatus.UNKNOWN));

            assertThat(readResults()).extracting(PaymentResult::status).containsExactly(PaymentStatus.APPROVED);
            assertThat(metrics.repeatsDropped()).isEqualTo(3);
            assertThat(entry("pay-1").status()).isEqualTo(PaymentStatus.APPROVED);
            assertThat(entry("pay-1").result()).isEqualTo(PaymentJson.encodeResult(result(r, PaymentStatus.APPROVED)));
        }

        @Test
        void anUnknownMayBeFollowedByExactlyOneSettlementThenNothing() {
            PaymentRequest r = request("pay-1");
            publish(r);

            outcome(result(r, PaymentStatus.UNKNOWN));
            outcome(result(r, PaymentStatus.UNKNOWN));
            outcome(result(r, PaymentStatus.APPROVED));
            outcome(result(r, PaymentStatus.APPROVED));
            outcome(result(r, PaymentStatus.DECLINED));

            assertThat(readResults()).extracting(PaymentResult::status)
                    .containsExactly(PaymentStatus.UNKNOWN, PaymentStatus.APPROVED);
            assertThat(metrics.settlements()).isEqualTo(1);
            assertThat(entry("pay-1").settledAfterUnknown()).isTrue();
        }

        @Test
        void anApprovedAfterAFailedPassesOnceBecauseTheMoneyMoved() {
            PaymentRequest r = request("pay-1");
            publish(r);

            // A worker published FAILED and died before committing; its successor's attempt charged.
            outcome(result(r, PaymentStatus.FAILED));
            outcome(result(r, PaymentStatus.DECLINED));
            outcome(result(r, PaymentStatus.APPROVED));
            outcome(result(r, PaymentStatus.APPROVED));
            outcome(result(r, PaymentStatus.FAILED));

            assertThat(readResults()).extracting(PaymentResult::status)
                    .containsExactly(PaymentStatus.FAILED, PaymentStatus.APPROVED);
            assertThat(metrics.chargedAfterFailed()).isEqualTo(1);
            assertThat(entry("pay-1").status()).isEqualTo(PaymentStatus.APPROVED);
        }

        @Test
        void aRejectedResultDoesNotSettleAnUnknown() {
            PaymentRequest r = request("pay-1");
            publish(r);

            outcome(result(r, PaymentStatus.UNKNOWN));
            outcome(result(r, PaymentStatus.REJECTED));
            outcome(result(r, PaymentStatus.FAILED));

            assertThat(readResults()).extracting(PaymentResult::status)
                    .containsExactly(PaymentStatus.UNKNOWN, PaymentStatus.FAILED);
        }

        @Test
        void progressUpdatesTheStatusAndPublishesNothing() {
            PaymentRequest r = request("pay-1");
            publish(r);
            long due = START.plusSeconds(5).toEpochMilli();

            progress("pay-1", 2, due, "http_503");

            assertThat(results.isEmpty()).isTrue();
            LedgerEntry e = entry("pay-1");
            assertThat(e.phase()).isEqualTo(LedgerEntry.Phase.RETRYING);
            assertThat(e.attempts()).isEqualTo(2);
            assertThat(e.dueAt()).isEqualTo(due);
            assertThat(e.lastErrorClass()).isEqualTo("http_503");
            assertThat(e.fingerprint()).as("still guards against conflicts").isNotNull();

            outcome(result(r, PaymentStatus.APPROVED));
            progress("pay-1", 3, due, "timeout");

            assertThat(entry("pay-1").phase()).isEqualTo(LedgerEntry.Phase.FINAL);
            assertThat(readResults()).hasSize(1);
        }

        @Test
        void aMalformedOutcomeIsDeadLetteredNotPassed() {
            outcomes.pipeInput(bytes("pay-1"), bytes("{\"paymentId\":\"pay-1\"}"));

            assertThat(results.isEmpty()).isTrue();
            assertThat(header(resultsDlq.readRecord(), PaymentHeaders.ERROR_CLASS)).isEqualTo("malformed_result");
        }
    }

    // ------------------------------------------------------------------ partitions and retention

    @Nested
    class Partitions {
        /** The test driver runs one task, partition 0: with 4 partitions, this id's home is another one. */
        private String foreignId() {
            for (int i = 0; ; i++) {
                if (DoorProcessor.partitionFor("pay-" + i, 4) != 0) {
                    return "pay-" + i;
                }
            }
        }

        @Test
        void aRequestOnAForeignPartitionIsReroutedToItsHomeAndMeetsItsCopies() {
            start(4);
            String id = foreignId();
            TestOutputTopic<byte[], byte[]> reroute = driver.createOutputTopic(REROUTE, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());

            publish(request(id));
            publish(request(id));

            List<TestRecord<byte[], byte[]>> rerouted = reroute.readRecordsToList();
            assertThat(rerouted).hasSize(2).allSatisfy(r -> {
                assertThat(text(r.key())).isEqualTo(id);
                assertThat(header(r, PaymentHeaders.ORIGIN)).startsWith(TOPICS.requests() + "-0@");
            });
            assertThat(accepted.readRecordsToList()).singleElement()
                    .satisfies(r -> assertThat(r.headers().lastHeader(DoorProcessor.ORIGINAL_KEY)).isNull());
            assertThat(metrics.rerouted()).isEqualTo(2);
            assertThat(metrics.duplicatesDropped()).isEqualTo(1);
        }

        @Test
        void aReroutedRecordIsCheckedWithItsOriginalKey() {
            start(4);
            String id = foreignId();

            publishRaw(null, PaymentJson.encodeRequest(request(id)));

            PaymentResult r = readResults().get(0);
            assertThat(r.paymentId()).isEqualTo(id);
            assertThat(r.reason()).contains("key: missing");
            TestRecord<byte[], byte[]> dead = dlq.readRecord();
            assertThat(dead.key()).isNull();
            assertThat(header(dead, PaymentHeaders.ORIGIN)).isEqualTo(TOPICS.requests() + "-0@0");
        }

        @Test
        void theHomePartitionIsTheDefaultPartitionersChoice() {
            for (int i = 0; i < 100; i++) {
                byte[] key = bytes("pay-" + i);
                assertThat(DoorProcessor.partitionFor("pay-" + i, 12))
                        .isEqualTo(BuiltInPartitioner.partitionForKey(key, 12));
            }
        }
    }

    /** Wiring of {@link CommitPacer}: door and exit ask for a commit while their records are young. */
    @Nested
    class CommitPace {
        @Test
        void aFreshRequestAtTheDoorAsksForACommit() {
            requests.pipeInput(new TestRecord<>(bytes("pay-1"), PaymentJson.encodeRequest(request("pay-1")),
                    new RecordHeaders(), START.minusMillis(10)));

            assertThat(metrics.earlyCommits()).isEqualTo(1);
        }

        @Test
        void aFreshOutcomeAtTheExitAsksForACommitToo() {
            PaymentRequest r = request("pay-1");
            publish(r);
            long before = metrics.earlyCommits();
            clock.advance(LedgerConfig.MIN_COMMIT_INTERVAL.defaultValue());

            outcomes.pipeInput(new TestRecord<>(bytes("pay-1"), PaymentJson.encodeResult(result(r, PaymentStatus.APPROVED)),
                    new RecordHeaders(), clock.instant()));

            assertThat(metrics.earlyCommits()).isEqualTo(before + 1);
            assertThat(results.readValuesToList()).hasSize(1);
        }

        @Test
        void aBacklogLeavesCommitsToTheCommitInterval() {
            requests.pipeInput(new TestRecord<>(bytes("pay-1"), PaymentJson.encodeRequest(request("pay-1")),
                    new RecordHeaders(), START.minusSeconds(5)));

            assertThat(metrics.earlyCommits()).isZero();
            assertThat(accepted.readValuesToList()).hasSize(1); // processed all the same
        }
    }

    @Nested
    class Retention {
        @Test
        void anEntryUnchangedForLongerThanRetentionIsForgotten() {
            publish(request("pay-1"));
            clock.advance(Duration.ofDays(3));
            publish(request("pay-2"));

            clock.advance(Duration.ofDays(4).plusMinutes(1));
            driver.advanceWallClockTime(Duration.ofDays(7).plusMinutes(1));

            assertThat(entry("pay-1")).isNull();
            assertThat(entry("pay-2")).isNotNull();
        }
    }

    @Test
    void entriesRoundTripThroughTheirBinaryForm() {
        LedgerEntrySerde serde = new LedgerEntrySerde();
        LedgerEntry accepted = LedgerEntry.accepted(Fingerprint.of(request("pay-1")), 1000);
        LedgerEntry retrying = accepted.retrying(3, 5000, "http_503", 2000);
        LedgerEntry done = retrying.finished(PaymentStatus.UNKNOWN, 4, "timeout", bytes("{}"), 3000)
                .finished(PaymentStatus.APPROVED, 5, null, bytes("{\"status\":\"APPROVED\"}"), 4000);
        LedgerEntry rejected = LedgerEntry.rejected(bytes("{}"), 5000);

        for (LedgerEntry e : List.of(accepted, retrying, done, rejected)) {
            assertThat(serde.deserialize("t", serde.serialize("t", e))).isEqualTo(e);
        }
        assertThat(done.settledAfterUnknown()).isTrue();
        assertThat(serde.serialize("t", accepted)).hasSizeLessThan(100);
    }
}
