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
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Replays ({@code paypipe dlq replay}) at the ledger, as specifications: the door re-drives a replayed request of a
 * FAILED or UNKNOWN payment once, the exit passes that replay's one result, and nothing else changes.
 */
class LedgerReplayTest {
    private static final Instant START = Instant.parse("2026-01-31T12:00:00Z");
    private static final TopicLayout TOPICS = TopicLayout.defaults();

    private final MutableClock clock = new MutableClock(START);
    private final LedgerMetrics metrics = new LedgerMetrics(new SimpleMeterRegistry());
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> requests;
    private TestInputTopic<byte[], byte[]> outcomes;
    private TestOutputTopic<byte[], byte[]> accepted;
    private TestOutputTopic<byte[], byte[]> results;
    private TestOutputTopic<byte[], byte[]> dlq;
    private int letterOffset;

    LedgerReplayTest() {
        start(1);
    }

    /** The driver runs one task (partition 0) of a topology for {@code partitions} partitions. */
    private void start(int partitions) {
        if (driver != null) {
            driver.close();
        }
        driver = LedgerTestDriver.start(TOPICS, "paypipe-ledger-door-reroute", partitions, clock, metrics, START);
        ByteArraySerializer ser = new ByteArraySerializer();
        ByteArrayDeserializer de = new ByteArrayDeserializer();
        requests = driver.createInputTopic(TOPICS.requests(), ser, ser);
        outcomes = driver.createInputTopic(TOPICS.outcomes(), ser, ser);
        accepted = driver.createOutputTopic(TOPICS.accepted(), de, de);
        results = driver.createOutputTopic(TOPICS.results(), de, de);
        dlq = driver.createOutputTopic(TOPICS.requestsDlq(), de, de);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    // ------------------------------------------------------------------ given

    private static PaymentRequest request(String id) {
        return new PaymentRequest(id, "order-" + id, new BigDecimal("12.50"), "EUR", "cus-1", "tok_visa_4242424242",
                START.minusSeconds(30), Map.of());
    }

    private void publish(PaymentRequest r) {
        requests.pipeInput(bytes(r.paymentId()), PaymentJson.encodeRequest(r));
    }

    /** What {@code paypipe dlq replay} sends: the dead letter's key and value with the replay headers. */
    private void replay(PaymentRequest r) {
        Headers h = new RecordHeaders();
        PaymentHeaders.put(h, PaymentHeaders.REPLAYED_FROM, "payment-requests-dlq-0@" + letterOffset++);
        PaymentHeaders.put(h, PaymentHeaders.REPLAYED_AT, clock.instant().toString());
        requests.pipeInput(new TestRecord<>(bytes(r.paymentId()), PaymentJson.encodeRequest(r), h));
    }

    private void outcome(PaymentRequest r, PaymentStatus status) {
        outcomes.pipeInput(bytes(r.paymentId()), PaymentJson.encodeResult(result(r, status)));
    }

    private void progress(String id, int attempt) {
        Headers h = new RecordHeaders();
        PaymentHeaders.put(h, PaymentHeaders.PROGRESS, PaymentHeaders.PROGRESS_RETRYING);
        PaymentHeaders.put(h, PaymentHeaders.ATTEMPT, attempt);
        PaymentHeaders.put(h, PaymentHeaders.DUE_AT, clock.millis() + 1000);
        PaymentHeaders.put(h, PaymentHeaders.LAST_ERROR_CLASS, "http_503");
        outcomes.pipeInput(new TestRecord<>(bytes(id), new byte[0], h));
    }

    private PaymentResult result(PaymentRequest r, PaymentStatus status) {
        return PaymentResult.of(r, status, status == PaymentStatus.APPROVED ? "ch_1" : null,
                status == PaymentStatus.DECLINED ? "card_declined" : null,
                status == PaymentStatus.FAILED || status == PaymentStatus.UNKNOWN ? "http_503" : null, null, 1,
                clock.instant());
    }

    /** A payment that went through the door and ended with {@code status}; its first result is read off. */
    private PaymentRequest paymentThatEnded(PaymentStatus status) {
        return paymentThatEnded("pay-1", status);
    }

    private PaymentRequest paymentThatEnded(String id, PaymentStatus status) {
        PaymentRequest r = request(id);
        publish(r);
        outcome(r, status);
        accepted.readRecordsToList();
        assertThat(readResults()).extracting(PaymentResult::status).containsExactly(status);
        clock.advance(Duration.ofMinutes(10));
        return r;
    }

    private LedgerEntry entry(String id) {
        return driver.<String, LedgerEntry>getKeyValueStore(LedgerTopology.STORE).get(id);
    }

    private List<PaymentResult> readResults() {
        return results.readValuesToList().stream().map(PaymentJson::decodeResult).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ door

    @Test
    void aReplayOfAFailedPaymentIsForwardedOnceWithItsHeadersAndItsResultPasses() {
        PaymentRequest r = paymentThatEnded(PaymentStatus.FAILED);

        replay(r);

        TestRecord<byte[], byte[]> redriven = accepted.readRecord();
        assertThat(redriven.value()).isEqualTo(PaymentJson.encodeRequest(r));
        assertThat(PaymentHeaders.string(redriven.headers(), PaymentHeaders.REPLAYED_FROM))
                .isEqualTo("payment-requests-dlq-0@0");
        LedgerEntry replaying = entry("pay-1");
        assertThat(replaying.phase()).isEqualTo(LedgerEntry.Phase.REPLAYING);
        assertThat(replaying.status()).as("still the published one").isEqualTo(PaymentStatus.FAILED);
        assertThat(replaying.replays()).isEqualTo(1);
        assertThat(metrics.replaysAdmitted()).isEqualTo(1);

        outcome(r, PaymentStatus.APPROVED);
        outcome(r, PaymentStatus.APPROVED);
        outcome(r, PaymentStatus.FAILED);

        assertThat(readResults()).extracting(PaymentResult::status).containsExactly(PaymentStatus.APPROVED);
        assertThat(entry("pay-1").phase()).isEqualTo(LedgerEntry.Phase.FINAL);
        assertThat(entry("pay-1").status()).isEqualTo(PaymentStatus.APPROVED);
        assertThat(metrics.replayResults()).isEqualTo(1);
        assertThat(metrics.repeatsDropped()).isEqualTo(2);
    }

    @Test
    void aSecondReplayAfterTheReplayWasApprovedIsRefused() {
        PaymentRequest r = paymentThatEnded(PaymentStatus.FAILED);
        replay(r);
        outcome(r, PaymentStatus.APPROVED);
        accepted.readRecordsToList();
        readResults();

        replay(r);

        assertThat(accepted.isEmpty()).isTrue();
        assertThat(results.isEmpty()).isTrue();
        assertThat(dlq.isEmpty()).as("a refused replay is dropped, not dead-lettered again").isTrue();
        assertThat(metrics.replaysRefused()).isEqualTo(1);
        assertThat(metrics.replaysAdmitted()).isEqualTo(1);
        assertThat(entry("pay-1").status()).isEqualTo(PaymentStatus.APPROVED);
    }

    @Test
    void theReplaysApprovedResultSupersedesTheFailedOneUnderTheDbWritersPrecedenceRule() {
        PaymentRequest r = request("pay-1");
        publish(r);
        outcome(r, PaymentStatus.FAILED);
        clock.advance(Duration.ofMinutes(10));
        replay(r);
        outcome(r, PaymentStatus.APPROVED);

        List<PaymentResult> published = readResults();

        assertThat(published).extracting(PaymentResult::status)
                .containsExactly(PaymentStatus.FAILED, PaymentStatus.APPROVED);
        assertThat(published.get(1).supersedes(published.get(0))).isTrue();
        assertThat(published.get(0).supersedes(published.get(1))).isFalse();
    }

    @Test
    void aReplayThatFailsAgainPassesItsFailedResultAndMayBeReplayedOnceMore() {
        PaymentRequest r = paymentThatEnded(PaymentStatus.FAILED);
        replay(r);
        progress("pay-1", 1);

        assertThat(entry("pay-1").phase()).as("progress keeps a replay REPLAYING").isEqualTo(LedgerEntry.Phase.REPLAYING);
        assertThat(entry("pay-1").attempts()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(5));
        outcome(r, PaymentStatus.FAILED);
        assertThat(readResults()).extracting(PaymentResult::status).containsExactly(PaymentStatus.FAILED);

        replay(r);
        outcome(r, PaymentStatus.DECLINED);

        assertThat(readResults()).extracting(PaymentResult::status).containsExactly(PaymentStatus.DECLINED);
        assertThat(entry("pay-1").replays()).isEqualTo(2);
        assertThat(metrics.replaysAdmitted()).isEqualTo(2);
    }

    @Test
    void aReplayOfAnUnknownPaymentTakesOneResultAndAnUnknownOneStillTakesOneSettlement() {
        PaymentRequest r = paymentThatEnded(PaymentStatus.UNKNOWN);
        replay(r);

        outcome(r, PaymentStatus.UNKNOWN);
        outcome(r, PaymentStatus.UNKNOWN);
        outcome(r, PaymentStatus.APPROVED);
        outcome(r, PaymentStatus.DECLINED);

        assertThat(readResults()).extracting(PaymentResult::status)
                .containsExactly(PaymentStatus.UNKNOWN, PaymentStatus.APPROVED);
        assertThat(entry("pay-1").settledAfterUnknown()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = PaymentStatus.class, names = {"APPROVED", "DECLINED"})
    void aReplayOfASettledPaymentIsRefused(PaymentStatus settled) {
        PaymentRequest r = paymentThatEnded(settled);

        replay(r);
        outcome(r, PaymentStatus.FAILED);

        assertThat(accepted.isEmpty()).isTrue();
        assertThat(results.isEmpty()).isTrue();
        assertThat(metrics.replaysRefused()).isEqualTo(1);
        assertThat(metrics.duplicatesDropped()).isZero();
        assertThat(entry("pay-1").phase()).isEqualTo(LedgerEntry.Phase.FINAL);
        assertThat(entry("pay-1").replays()).isZero();
    }

    @Test
    void aReplayOfARejectedPaymentIsRefused() {
        requests.pipeInput(bytes("pay-1"), bytes(new String(PaymentJson.encodeRequest(request("pay-1")),
                StandardCharsets.UTF_8).replace("\"EUR\"", "\"EURO\"")));
        assertThat(readResults()).extracting(PaymentResult::status).containsExactly(PaymentStatus.REJECTED);

        replay(request("pay-1"));

        assertThat(accepted.isEmpty()).isTrue();
        assertThat(metrics.replaysRefused()).isEqualTo(1);
    }

    @Test
    void aReplayWithAnotherAmountIsAnIdempotencyConflict() {
        PaymentRequest r = paymentThatEnded(PaymentStatus.FAILED);
        dlq.readRecordsToList();
        PaymentRequest other = new PaymentRequest(r.paymentId(), r.orderId(), new BigDecimal("99.00"), r.currency(),
                r.customerId(), r.paymentMethod(), r.createdAt(), r.metadata());

        replay(other);

        assertThat(accepted.isEmpty()).isTrue();
        TestRecord<byte[], byte[]> letter = dlq.readRecord();
        assertThat(PaymentHeaders.string(letter.headers(), PaymentHeaders.ERROR_CLASS))
                .isEqualTo(LedgerTopology.IDEMPOTENCY_CONFLICT);
        assertThat(PaymentHeaders.string(letter.headers(), PaymentHeaders.ERROR_MESSAGE)).contains("amount");
        assertThat(metrics.conflictsRefused()).isEqualTo(1);
        assertThat(metrics.replaysAdmitted()).isZero();
        assertThat(entry("pay-1").phase()).isEqualTo(LedgerEntry.Phase.FINAL);
    }

    @Test
    void aPlainDuplicateOfAFailedPaymentIsStillDropped() {
        PaymentRequest r = paymentThatEnded(PaymentStatus.FAILED);

        publish(r);

        assertThat(accepted.isEmpty()).isTrue();
        assertThat(metrics.duplicatesDropped()).isEqualTo(1);
        assertThat(metrics.replaysAdmitted()).isZero();
        assertThat(entry("pay-1").phase()).isEqualTo(LedgerEntry.Phase.FINAL);
    }

    @Test
    void aReplayWhileThePaymentOrAnEarlierReplayIsUnderWayIsRefused() {
        PaymentRequest r = request("pay-1");
        publish(r);
        progress("pay-1", 1);
        accepted.readRecordsToList();

        replay(r);
        assertThat(accepted.isEmpty()).as("still RETRYING").isTrue();

        outcome(r, PaymentStatus.FAILED);
        replay(r);
        replay(r);

        assertThat(accepted.readRecordsToList()).as("only the first replay of the FAILED payment").hasSize(1);
        assertThat(metrics.replaysRefused()).isEqualTo(2);
        assertThat(metrics.replaysAdmitted()).isEqualTo(1);
    }

    @Test
    void aReplayOfAPaymentTheLedgerHasNoEntryForIsAcceptedAsNew() {
        replay(request("pay-9"));

        assertThat(accepted.readRecordsToList()).hasSize(1);
        assertThat(entry("pay-9").phase()).isEqualTo(LedgerEntry.Phase.ACCEPTED);
        assertThat(metrics.accepted()).isEqualTo(1);
    }

    @Test
    void aReplayThatArrivesOnAForeignPartitionIsReroutedWithItsHeadersAndAdmittedAtHome() {
        start(4);
        String id = foreignId();
        PaymentRequest r = paymentThatEnded(id, PaymentStatus.FAILED);

        replay(r);

        assertThat(accepted.readRecordsToList()).singleElement().satisfies(rec -> assertThat(
                PaymentHeaders.string(rec.headers(), PaymentHeaders.REPLAYED_FROM)).isEqualTo("payment-requests-dlq-0@0"));
        assertThat(entry(id).phase()).isEqualTo(LedgerEntry.Phase.REPLAYING);
        assertThat(metrics.replaysAdmitted()).isEqualTo(1);
    }

    /** An id whose home partition (of 4) is not the driver's partition 0: the door reroutes it. */
    private static String foreignId() {
        for (int i = 0; ; i++) {
            if (DoorProcessor.partitionFor("pay-" + i, 4) != 0) {
                return "pay-" + i;
            }
        }
    }

    // ------------------------------------------------------------------ entry format

    @Test
    void replayingEntriesRoundTripAndEntriesWrittenBeforeReplaysStillRead() {
        LedgerEntrySerde serde = new LedgerEntrySerde();
        LedgerEntry failed = LedgerEntry.accepted(Fingerprint.of(request("pay-1")), 1000)
                .finished(PaymentStatus.FAILED, 3, "http_503", bytes("{\"status\":\"FAILED\"}"), 2000);
        LedgerEntry replaying = failed.replaying(3000).retrying(1, 4000, "timeout", 3500);

        assertThat(serde.deserialize("t", serde.serialize("t", replaying))).isEqualTo(replaying);

        // Version 1 is version 2 without the trailing replay count.
        byte[] v2 = serde.serialize("t", failed);
        byte[] v1 = Arrays.copyOf(v2, v2.length - 4);
        v1[0] = 1;
        LedgerEntry old = serde.deserialize("t", v1);
        assertThat(old).isEqualTo(failed);
        assertThat(old.replays()).isZero();
    }

    @Test
    void theStatusOfAReplayingPaymentShowsTheReplayAndThePublishedResult() {
        LedgerEntry replaying = LedgerEntry.accepted(null, START.toEpochMilli())
                .finished(PaymentStatus.FAILED, 3, "http_503", bytes("{}"), START.toEpochMilli())
                .replaying(START.toEpochMilli() + 1000);

        String json = new String(LedgerStatusJson.status("pay-1", replaying), StandardCharsets.UTF_8);

        assertThat(json).contains("\"state\":\"REPLAYING\"", "\"status\":\"FAILED\"", "\"replays\":1",
                "\"result\":{}");
    }
}
