package dev.paypipe.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.dispatch.InFlightLimit;
import dev.paypipe.gateway.ChargeLookup;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.gateway.GatewayOutcome;
import dev.paypipe.json.PaymentJson;
import dev.paypipe.kafka.PaymentHeaders;
import dev.paypipe.kafka.TopicLayout;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.processing.PaymentProcessor;
import dev.paypipe.retry.RetryPolicy;
import dev.paypipe.testing.FakeGateway;
import dev.paypipe.testing.FixedRandom;
import dev.paypipe.testing.MutableClock;
import dev.paypipe.testing.TestPayments;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The poll loop driven turn by turn: MockConsumer/MockProducer instead of a broker, a hand-completed
 * fake gateway, a fake clock. Each {@code step()} is one loop turn (drain answers, dispatch, pause/resume,
 * commit, poll).
 */
class PaymentLoopTest {
    private static final TopicLayout TOPICS = TopicLayout.defaults();
    private static final Duration TIER_1S = Duration.ofSeconds(1);
    private static final Duration TIER_5S = Duration.ofSeconds(5);
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);
    private static final int MAX_IN_FLIGHT = 3;

    private static final TopicPartition REQ0 = new TopicPartition(TOPICS.requests(), 0);
    private static final TopicPartition REQ1 = new TopicPartition(TOPICS.requests(), 1);
    private static final TopicPartition RETRY0 = new TopicPartition(TOPICS.retryTier(TIER_1S), 0);
    private static final TopicPartition RETRY1 = new TopicPartition(TOPICS.retryTier(TIER_1S), 1);
    private static final TopicPartition RETRY5_0 = new TopicPartition(TOPICS.retryTier(TIER_5S), 0);

    private final MutableClock clock = MutableClock.atDefaultStart();
    private final FakeGateway gateway = new FakeGateway();
    private final TestConsumer consumer = new TestConsumer();
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final RetryPolicy retry = new RetryPolicy(List.of(TIER_1S, TIER_5S), Duration.ofMillis(500),
            Duration.ofSeconds(4), 3);
    private final WorkerConfig config = new WorkerConfig(
            KafkaSettings.of("mock:9092", TOPICS),
            GatewayConfig.of(URI.create("http://gateway.test"), "sk_test_key"),
            retry,
            WorkerConfig.BreakerSettings.defaults(),
            "paypipe-worker-test",
            MAX_IN_FLIGHT,
            100,
            COMMIT_INTERVAL,
            Duration.ZERO,
            Duration.ofMillis(200),
            2,
            WorkerConfig.Intake.DIRECT);
    private final InFlightLimit limit = new InFlightLimit(MAX_IN_FLIGHT, 1, Duration.ZERO, clock);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PaymentLoop loop = new PaymentLoop(config, consumer, producer, gateway,
            new PaymentProcessor(retry, config.gateway().responseTimeout(), clock, FixedRandom.max()), limit, new WorkerMetrics(registry), clock);
    private final Map<TopicPartition, Long> nextOffset = new HashMap<>();

    /**
     * MockConsumer with two fixes for these tests: it remembers commits of partitions no longer assigned
     * (MockConsumer answers 0 for those), and a rebalance drops the paused flag of revoked partitions as
     * the real consumer does (MockConsumer keeps them in {@code paused()} forever).
     */
    static final class TestConsumer extends MockConsumer<String, byte[]> {
        final Map<TopicPartition, Long> commits = new HashMap<>();
        /** How many of the next commits fail (the callback gets a retriable error; nothing is committed). */
        int failNextCommits;

        TestConsumer() {
            super("earliest");
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                OffsetCommitCallback callback) {
            if (failNextCommits > 0) {
                failNextCommits--;
                if (callback != null) {
                    callback.onComplete(offsets, new RetriableCommitFailedException("injected commit failure"));
                }
                return;
            }
            offsets.forEach((tp, o) -> commits.put(tp, o.offset()));
            super.commitAsync(offsets, callback);
        }

        @Override
        public synchronized void rebalance(Collection<TopicPartition> newAssignment) {
            Set<TopicPartition> revoked = new HashSet<>(assignment());
            revoked.removeAll(newAssignment);
            super.resume(revoked);
            super.rebalance(newAssignment);
        }
    }

    // ------------------------------------------------------------------ helpers

    private void assign(TopicPartition... partitions) {
        loop.subscribe();
        Map<TopicPartition, Long> beginning = new HashMap<>();
        for (TopicPartition tp : List.of(REQ0, REQ1, RETRY0, RETRY1, RETRY5_0)) {
            beginning.put(tp, 0L);
        }
        consumer.updateBeginningOffsets(beginning);
        consumer.rebalance(List.of(partitions));
    }

    private long add(TopicPartition tp, String key, byte[] value, RecordHeaders headers) {
        long offset = nextOffset.getOrDefault(tp, 0L);
        nextOffset.put(tp, offset + 1);
        addAt(tp, offset, key, value, headers);
        return offset;
    }

    private void addAt(TopicPartition tp, long offset, String key, byte[] value, RecordHeaders headers) {
        consumer.addRecord(new ConsumerRecord<>(tp.topic(), tp.partition(), offset, clock.millis(),
                TimestampType.CREATE_TIME, -1, -1, key, value, headers, Optional.empty()));
    }

    /** A valid request for {@code paymentId} on {@code tp}; returns its offset. */
    private long request(TopicPartition tp, String paymentId) {
        return add(tp, paymentId, PaymentJson.encodeRequest(TestPayments.request(paymentId)), new RecordHeaders());
    }

    private static RecordHeaders retryHeaders(long dueAtMillis, int attempts, boolean ambiguous) {
        RecordHeaders h = new RecordHeaders();
        PaymentHeaders.put(h, PaymentHeaders.DUE_AT, dueAtMillis);
        PaymentHeaders.put(h, PaymentHeaders.ATTEMPT, attempts);
        PaymentHeaders.put(h, PaymentHeaders.AMBIGUOUS, Boolean.toString(ambiguous));
        PaymentHeaders.put(h, PaymentHeaders.FIRST_ERROR_CLASS, ambiguous ? "timeout" : "http_503");
        PaymentHeaders.put(h, PaymentHeaders.LAST_ERROR_CLASS, ambiguous ? "timeout" : "http_503");
        return h;
    }

    private void steps(int n) {
        for (int i = 0; i < n; i++) {
            loop.step();
        }
    }

    /** Lets the commit interval pass and turns the loop so it commits. */
    private void stepWithCommit() {
        clock.advance(COMMIT_INTERVAL);
        loop.step();
    }

    /** The last offset the loop committed for {@code tp}, or null. */
    private Long committed(TopicPartition tp) {
        return consumer.commits.get(tp);
    }

    private List<ProducerRecord<String, byte[]>> sentTo(String topic) {
        return producer.history().stream().filter(r -> r.topic().equals(topic)).toList();
    }

    private List<PaymentResult> results() {
        return sentTo(TOPICS.results()).stream().map(r -> PaymentJson.decodeResult(r.value())).toList();
    }

    private PaymentResult resultFor(String paymentId) {
        List<PaymentResult> matching = results().stream().filter(r -> r.paymentId().equals(paymentId)).toList();
        assertThat(matching).as("results for %s", paymentId).hasSize(1);
        return matching.get(0);
    }

    private static String header(ProducerRecord<String, byte[]> r, String name) {
        return PaymentHeaders.string(r.headers(), name);
    }

    private void approve(String paymentId) {
        gateway.chargeFor(paymentId).orElseThrow(() -> new AssertionError(paymentId + " was never charged"))
                .complete(new GatewayOutcome.Approved("ch_" + paymentId));
    }

    // ------------------------------------------------------------------ (a) commits

    @Test
    void commitsOnlyBelowTheOldestUnfinishedRecord() {
        assign(REQ0);
        request(REQ0, "p0");
        request(REQ0, "p1");
        request(REQ0, "p2");
        steps(2);
        assertThat(gateway.openCharges()).hasSize(3);

        approve("p1");
        approve("p2");
        stepWithCommit();
        stepWithCommit();

        assertThat(results()).extracting(PaymentResult::paymentId).containsExactlyInAnyOrder("p1", "p2");
        assertThat(committed(REQ0)).as("offset 0 is unfinished: nothing past it may be committed").isNull();

        approve("p0");
        stepWithCommit();
        stepWithCommit();

        assertThat(committed(REQ0)).isEqualTo(3L);
        assertThat(resultFor("p0").status()).isEqualTo(PaymentStatus.APPROVED);
    }

    @Test
    void commitsAreThrottledToTheCommitInterval() {
        assign(REQ0);
        request(REQ0, "p0");
        steps(2);
        approve("p0");
        steps(3); // the fake clock has not moved: no commit yet

        assertThat(committed(REQ0)).isNull();
        stepWithCommit();
        assertThat(committed(REQ0)).isEqualTo(1L);
    }

    // ------------------------------------------------------------------ (b) order per key

    @Test
    void aSecondRecordForTheSameKeyWaitsForTheFirst() {
        assign(REQ0, REQ1);
        request(REQ0, "same");
        request(REQ1, "same");
        request(REQ1, "other");
        steps(4);

        assertThat(gateway.charges()).extracting(c -> c.request().paymentId())
                .as("the duplicate waits; other keys flow").containsExactlyInAnyOrder("same", "other");
        assertThat(loop.backlog()).isEqualTo(1);

        gateway.charges().get(0).complete(new GatewayOutcome.Approved("ch_1"));
        steps(1);

        assertThat(gateway.charges()).extracting(c -> c.request().paymentId())
                .containsExactlyInAnyOrder("same", "other", "same");
        assertThat(results()).extracting(PaymentResult::paymentId).contains("same");
        assertThat(loop.backlog()).isZero();
    }

    // ------------------------------------------------------------------ (c) retry tiers

    @Test
    void aRetryRecordNotYetDuePausesItsPartitionAndResumesOnTime() {
        assign(REQ0, RETRY0, RETRY1);
        long due = clock.millis() + 900; // within the 1 s tier's delay
        byte[] value = PaymentJson.encodeRequest(TestPayments.request("later"));
        RecordHeaders headers = retryHeaders(due, 1, false);
        long retryOffset = add(RETRY0, "later", value, headers);
        request(REQ0, "main-1");
        add(RETRY1, "due-now", PaymentJson.encodeRequest(TestPayments.request("due-now")),
                retryHeaders(clock.millis() - 1, 1, false));
        steps(2);

        assertThat(consumer.paused()).containsExactly(RETRY0);
        assertThat(consumer.position(RETRY0)).as("rewound to the record that is not due").isEqualTo(retryOffset);
        assertThat(gateway.charges()).extracting(c -> c.request().paymentId())
                .as("other partitions, main and retry, keep flowing").containsExactlyInAnyOrder("main-1", "due-now");

        request(REQ0, "main-2");
        approve("main-1");
        approve("due-now");
        clock.advance(Duration.ofMillis(899));
        steps(2);
        assertThat(gateway.charges()).extracting(c -> c.request().paymentId()).contains("main-2")
                .doesNotContain("later");
        assertThat(consumer.paused()).containsExactly(RETRY0);
        assertThat(consumer.position(RETRY0)).isEqualTo(retryOffset);

        clock.advance(Duration.ofMillis(1));
        loop.step(); // resumes before polling
        assertThat(consumer.paused()).isEmpty();
        // MockConsumer hands out each record once; the broker would re-deliver from the rewound position.
        addAt(RETRY0, retryOffset, "later", value, headers);
        steps(2);

        assertThat(gateway.chargeFor("later")).isPresent();
        approve("later");
        steps(1);
        PaymentResult result = resultFor("later");
        assertThat(result.status()).isEqualTo(PaymentStatus.APPROVED);
        assertThat(result.attempts()).as("attempt number carried in the header").isEqualTo(2);
    }

    @Test
    void aRecordBehindANotYetDueHeadIsNotProcessedEarly() {
        assign(RETRY0);
        long due = clock.millis() + 1_000;
        add(RETRY0, "head", PaymentJson.encodeRequest(TestPayments.request("head")), retryHeaders(due, 1, false));
        add(RETRY0, "behind", PaymentJson.encodeRequest(TestPayments.request("behind")),
                retryHeaders(clock.millis() - 10, 1, false));
        steps(3);

        assertThat(gateway.charges()).isEmpty();
        assertThat(consumer.paused()).containsExactly(RETRY0);
        assertThat(consumer.position(RETRY0)).isZero();
    }

    @Test
    void aRetryableFailureGoesToTheTierTopicWithDueTimeAndHistoryHeaders() {
        assign(REQ0);
        long offset = request(REQ0, "flaky");
        steps(2);
        gateway.chargeFor("flaky").orElseThrow()
                .complete(new GatewayOutcome.Retryable("http_503", "unavailable", Duration.ofSeconds(3)));
        long answeredAt = clock.millis();
        loop.step();
        stepWithCommit();

        List<ProducerRecord<String, byte[]>> retries = sentTo(TOPICS.retryTier(TIER_5S));
        assertThat(retries).hasSize(1);
        ProducerRecord<String, byte[]> r = retries.get(0);
        assertThat(r.key()).isEqualTo("flaky");
        assertThat(header(r, PaymentHeaders.ATTEMPT)).isEqualTo("1");
        assertThat(header(r, PaymentHeaders.AMBIGUOUS)).isEqualTo("false");
        assertThat(header(r, PaymentHeaders.LAST_ERROR_CLASS)).isEqualTo("http_503");
        assertThat(header(r, PaymentHeaders.ORIGIN)).isEqualTo(TOPICS.requests() + "-0@" + offset);
        // Due 3 s (Retry-After) after the answer, measured on the fake clock.
        assertThat(Long.parseLong(header(r, PaymentHeaders.DUE_AT))).isEqualTo(answeredAt + 3_000);
        assertThat(results()).isEmpty();
        assertThat(committed(REQ0)).as("a retry hand-off finishes the record").isEqualTo(1L);
    }

    @Test
    void anAmbiguousRetryIsLookedUpBeforeChargingAndAFoundChargeIsFinal() {
        assign(RETRY0);
        add(RETRY0, "maybe", PaymentJson.encodeRequest(TestPayments.request("maybe")),
                retryHeaders(clock.millis(), 1, true));
        steps(2);

        assertThat(gateway.lookups()).extracting(FakeGateway.LookupCall::paymentId).containsExactly("maybe");
        gateway.lookups().get(0).complete(new ChargeLookup.Found(new GatewayOutcome.Approved("ch_found")));
        steps(1);

        assertThat(gateway.charges()).as("no second charge").isEmpty();
        PaymentResult result = resultFor("maybe");
        assertThat(result.status()).isEqualTo(PaymentStatus.APPROVED);
        assertThat(result.gatewayReference()).isEqualTo("ch_found");
        assertThat(loop.inFlight()).isZero();
    }

    @Test
    void anAmbiguousRetryNotFoundByTheLookupIsChargedAgainInTheSameSlot() {
        assign(RETRY0);
        add(RETRY0, "maybe", PaymentJson.encodeRequest(TestPayments.request("maybe")),
                retryHeaders(clock.millis(), 1, true));
        steps(2);
        gateway.lookups().get(0).complete(new ChargeLookup.NotFound());
        steps(1);

        assertThat(gateway.charges()).hasSize(1);
        assertThat(loop.inFlight()).isEqualTo(1);
        approve("maybe");
        steps(1);
        assertThat(resultFor("maybe").attempts()).isEqualTo(2);
        assertThat(loop.inFlight()).isZero();
    }

    // ------------------------------------------------------------------ (d) in-flight limit

    @Test
    void atMostMaxInFlightGatewayCallsAreOpen() {
        assign(REQ0, REQ1);
        for (int i = 0; i < 10; i++) {
            request(i % 2 == 0 ? REQ0 : REQ1, "p" + i);
        }
        for (int i = 0; i < 5; i++) {
            loop.step();
            assertThat(gateway.openCharges()).hasSizeLessThanOrEqualTo(MAX_IN_FLIGHT);
        }
        assertThat(gateway.openCharges()).hasSize(MAX_IN_FLIGHT);
        assertThat(loop.inFlight()).isEqualTo(MAX_IN_FLIGHT);

        int answered = 0;
        while (!gateway.openCharges().isEmpty()) {
            gateway.openCharges().get(0).complete(new GatewayOutcome.Declined("ch", "do_not_honor"));
            answered++;
            loop.step();
            assertThat(gateway.openCharges()).hasSizeLessThanOrEqualTo(MAX_IN_FLIGHT);
            assertThat(loop.inFlight()).isEqualTo(gateway.openCharges().size());
        }
        assertThat(answered).isEqualTo(10);
        assertThat(gateway.charges()).hasSize(10);
    }

    @Test
    void anOpenBreakerStopsCallsAndFetchingAndHalfOpenLetsOnlyProbesThrough() {
        assign(REQ0, RETRY0);
        limit.onMode(InFlightLimit.Mode.OPEN);
        request(REQ0, "p0");
        steps(3);

        assertThat(consumer.paused()).containsExactlyInAnyOrder(REQ0, RETRY0);
        assertThat(gateway.charges()).isEmpty();

        limit.onMode(InFlightLimit.Mode.HALF_OPEN);
        request(REQ0, "p1");
        request(REQ0, "p2");
        steps(3);
        assertThat(consumer.paused()).isEmpty();
        assertThat(gateway.openCharges()).as("one probe at a time").hasSize(1);

        limit.onMode(InFlightLimit.Mode.CLOSED);
        steps(1);
        assertThat(gateway.openCharges()).hasSize(3);
    }

    @Test
    void aBreakerOpenFallbackUsesNoAttemptAndRequeuesTheRecord() {
        assign(REQ0);
        gateway.answerCharges(r -> new GatewayOutcome.Retryable("breaker_open", "circuit breaker open", null));
        request(REQ0, "p0");
        steps(4);

        assertThat(producer.history()).as("no retry record, no result").isEmpty();
        assertThat(gateway.charges()).hasSizeGreaterThanOrEqualTo(2);

        gateway.answerCharges(r -> new GatewayOutcome.Approved("ch_ok"));
        steps(2);
        assertThat(resultFor("p0").attempts()).isEqualTo(1);
        assertThat(loop.inFlight()).isZero();
    }

    // ------------------------------------------------------------------ (e) invalid requests

    @Test
    void anInvalidRequestIsRejectedAndDeadLetteredWithoutAGatewayCall() {
        assign(REQ0);
        byte[] bad = "{\"paymentId\":\"bad-1\",\"orderId\":\"o-1\",\"amount\":\"-5\",\"currency\":\"EUR\"}"
                .getBytes(StandardCharsets.UTF_8);
        RecordHeaders original = new RecordHeaders();
        original.add("trace-id", "abc".getBytes(StandardCharsets.UTF_8));
        long offset = add(REQ0, "bad-1", bad, original);
        stepWithCommit();
        stepWithCommit();

        assertThat(gateway.charges()).isEmpty();
        assertThat(gateway.lookups()).isEmpty();
        PaymentResult result = resultFor("bad-1");
        assertThat(result.status()).isEqualTo(PaymentStatus.REJECTED);
        assertThat(result.orderId()).isEqualTo("o-1");
        assertThat(result.reason()).contains("amount").contains("customerId").contains("paymentMethod");
        assertThat(result.attempts()).isZero();

        List<ProducerRecord<String, byte[]>> dlq = sentTo(TOPICS.requestsDlq());
        assertThat(dlq).hasSize(1);
        ProducerRecord<String, byte[]> dead = dlq.get(0);
        assertThat(dead.key()).isEqualTo("bad-1");
        assertThat(dead.value()).isEqualTo(bad);
        assertThat(header(dead, "trace-id")).isEqualTo("abc");
        assertThat(header(dead, PaymentHeaders.ERROR_CLASS)).isEqualTo("invalid_request");
        assertThat(header(dead, PaymentHeaders.ERROR_MESSAGE)).contains("amount");
        assertThat(header(dead, PaymentHeaders.ATTEMPT)).isEqualTo("0");
        assertThat(header(dead, PaymentHeaders.ORIGIN)).isEqualTo(TOPICS.requests() + "-0@" + offset);
        assertThat(header(dead, PaymentHeaders.DEAD_LETTERED_AT)).isNotNull();
        assertThat(committed(REQ0)).isEqualTo(1L);
    }

    @Test
    void unreadableRecordsAreRejectedUnderTheirKeyOrOrigin() {
        assign(REQ0);
        add(REQ0, "k-9", "not json".getBytes(StandardCharsets.UTF_8), new RecordHeaders());
        long tombstone = add(REQ0, null, null, new RecordHeaders());
        steps(2);

        assertThat(resultFor("k-9").status()).isEqualTo(PaymentStatus.REJECTED);
        assertThat(resultFor("invalid:" + TOPICS.requests() + "-0@" + tombstone).reason()).contains("empty record");
        assertThat(sentTo(TOPICS.requestsDlq())).hasSize(2);
        assertThat(gateway.charges()).isEmpty();
    }

    // ------------------------------------------------------------------ exhausted attempts

    @Test
    void theLastAttemptDeadLettersWithFailedOrUnknownByTheRule() {
        assign(RETRY0, RETRY1);
        add(RETRY0, "never", PaymentJson.encodeRequest(TestPayments.request("never")),
                retryHeaders(clock.millis(), 2, false));
        add(RETRY1, "maybe", PaymentJson.encodeRequest(TestPayments.request("maybe")),
                retryHeaders(clock.millis(), 2, true));
        gateway.answerLookups(id -> new ChargeLookup.NotFound());
        steps(3);
        gateway.chargeFor("never").orElseThrow().complete(new GatewayOutcome.Retryable("connect_failed", "refused", null));
        gateway.chargeFor("maybe").orElseThrow().complete(new GatewayOutcome.Retryable("connect_failed", "refused", null));
        steps(1);

        assertThat(resultFor("never").status()).isEqualTo(PaymentStatus.FAILED);
        assertThat(resultFor("maybe").status()).isEqualTo(PaymentStatus.UNKNOWN);
        List<ProducerRecord<String, byte[]>> dlq = sentTo(TOPICS.requestsDlq());
        assertThat(dlq).hasSize(2);
        assertThat(dlq).allSatisfy(r -> {
            assertThat(header(r, PaymentHeaders.ATTEMPT)).isEqualTo("3");
            assertThat(header(r, PaymentHeaders.ERROR_CLASS)).isEqualTo("connect_failed");
            assertThat(header(r, PaymentHeaders.ORIGIN)).startsWith(TOPICS.retryTier(TIER_1S));
        });
        assertThat(sentTo(TOPICS.retryTier(TIER_1S))).isEmpty();
        assertThat(sentTo(TOPICS.retryTier(TIER_5S))).isEmpty();
    }

    @Test
    void anAmbiguousAnswerCarriesItsCallDeadlineToTheRetryTier() {
        assign(REQ0);
        request(REQ0, "slow");
        steps(2);
        long sentAt = clock.millis();
        clock.advance(Duration.ofMillis(250));
        gateway.chargeFor("slow").orElseThrow().complete(new GatewayOutcome.Ambiguous("http_500", "internal error"));
        steps(1);

        ProducerRecord<String, byte[]> retry = sentTo(TOPICS.retryTier(TIER_1S)).get(0);
        assertThat(header(retry, PaymentHeaders.AMBIGUOUS)).isEqualTo("true");
        assertThat(header(retry, RetryHeaders.AMBIGUOUS_UNTIL))
                .isEqualTo(Long.toString(sentAt + config.gateway().responseTimeout().toMillis()));
    }

    @Test
    void aLookUpAfterTheDeadlineThatFindsNoChargeClearsTheAmbiguitySoTheLastSafeFailureEndsFailed() {
        assign(RETRY0, RETRY1);
        RecordHeaders proven = retryHeaders(clock.millis(), 2, true);
        PaymentHeaders.put(proven, RetryHeaders.AMBIGUOUS_UNTIL, clock.millis());
        RecordHeaders tooEarly = retryHeaders(clock.millis(), 2, true);
        PaymentHeaders.put(tooEarly, RetryHeaders.AMBIGUOUS_UNTIL, clock.millis() + 1);
        add(RETRY0, "proven", PaymentJson.encodeRequest(TestPayments.request("proven")), proven);
        add(RETRY1, "early", PaymentJson.encodeRequest(TestPayments.request("early")), tooEarly);
        gateway.answerLookups(id -> new ChargeLookup.NotFound());
        steps(3);
        gateway.chargeFor("proven").orElseThrow().complete(new GatewayOutcome.Retryable("http_503", "unavailable", null));
        gateway.chargeFor("early").orElseThrow().complete(new GatewayOutcome.Retryable("http_503", "unavailable", null));
        steps(1);

        assertThat(resultFor("proven").status()).as("the 404 after the deadline proved no charge")
                .isEqualTo(PaymentStatus.FAILED);
        assertThat(resultFor("proven").attempts()).isEqualTo(3);
        assertThat(resultFor("early").status()).as("looked up before the deadline: may still have charged")
                .isEqualTo(PaymentStatus.UNKNOWN);
        assertThat(sentTo(TOPICS.requestsDlq())).hasSize(2);
    }

    // ------------------------------------------------------------------ (f) rebalance

    @Test
    void anOperatorPauseSendsNothingNewWhileCallsInFlightFinishAndTheBacklogWaitsForResume() {
        assign(REQ0);
        for (int i = 0; i < MAX_IN_FLIGHT + 2; i++) {
            request(REQ0, "p" + i);
        }
        steps(2);
        assertThat(gateway.charges()).hasSize(MAX_IN_FLIGHT);

        loop.setOperatorPaused(true);
        approve("p0");
        steps(3);

        assertThat(resultFor("p0").status()).as("a call in flight finishes").isEqualTo(PaymentStatus.APPROVED);
        assertThat(gateway.charges()).as("the freed slot is not used while paused").hasSize(MAX_IN_FLIGHT);
        assertThat(consumer.paused()).containsExactly(REQ0);

        loop.setOperatorPaused(false);
        steps(2);
        assertThat(gateway.charges()).hasSize(MAX_IN_FLIGHT + 1);
        assertThat(consumer.paused()).isEmpty();
    }

    @Test
    void partitionsAssignedWhileOperatorPausedArePausedBeforeTheirFirstFetch() {
        assign(REQ0);
        loop.setOperatorPaused(true);
        steps(1);
        assertThat(consumer.paused()).containsExactly(REQ0);

        consumer.rebalance(List.of(REQ0, REQ1, RETRY0));
        assertThat(consumer.paused()).containsExactlyInAnyOrder(REQ0, REQ1, RETRY0);

        request(REQ1, "p1");
        steps(3);
        assertThat(gateway.charges()).isEmpty();

        loop.setOperatorPaused(false);
        steps(2);
        assertThat(consumer.paused()).isEmpty();
        assertThat(gateway.chargeFor("p1")).isPresent();
    }

    @Test
    void partitionsAssignedWhileTheBreakerIsOpenArePausedBeforeTheirFirstFetch() {
        assign(REQ0);
        limit.onMode(InFlightLimit.Mode.OPEN);
        steps(1);

        consumer.rebalance(List.of(REQ1, RETRY0));
        assertThat(consumer.paused()).containsExactlyInAnyOrder(REQ1, RETRY0);
        assertThat(committed(REQ0)).isNull();
        request(REQ1, "p1");
        steps(3);
        assertThat(gateway.charges()).isEmpty();

        limit.onMode(InFlightLimit.Mode.HALF_OPEN);
        steps(2);
        assertThat(gateway.chargeFor("p1")).isPresent();
    }

    @Test
    void aPartitionWaitingOnANotYetDueRecordComesBackAfterARebalance() {
        assign(REQ0, RETRY0);
        long due = clock.millis() + 3_000;
        byte[] value = PaymentJson.encodeRequest(TestPayments.request("later"));
        RecordHeaders headers = retryHeaders(due, 1, false);
        add(RETRY0, "later", value, headers);
        steps(2);
        assertThat(consumer.paused()).containsExactly(RETRY0);

        consumer.rebalance(List.of(REQ0)); // taken away ...
        consumer.rebalance(List.of(REQ0, RETRY0)); // ... and given back, from the committed position
        assertThat(consumer.paused()).as("a fresh assignment starts unpaused").isEmpty();
        addAt(RETRY0, 0, "later", value, headers); // the broker re-delivers from there
        steps(2);
        assertThat(consumer.paused()).as("paused again on the same head").containsExactly(RETRY0);
        assertThat(consumer.position(RETRY0)).isZero();
        assertThat(gateway.charges()).isEmpty();

        clock.advance(Duration.ofSeconds(3));
        loop.step();
        addAt(RETRY0, 0, "later", value, headers);
        steps(2);
        assertThat(gateway.chargeFor("later")).isPresent();
    }

    @Test
    void revocationCommitsWhatFinishedAndHandsBackQueuedWork() {
        assign(REQ0, REQ1);
        request(REQ0, "a0");
        request(REQ0, "a1");
        request(REQ0, "a2");
        request(REQ0, "a3");
        request(REQ1, "b0");
        steps(2); // three calls open (limit 3), the rest queued
        assertThat(gateway.openCharges()).hasSize(3);
        List<String> started = gateway.charges().stream().map(c -> c.request().paymentId()).toList();
        started.forEach(this::approve);

        consumer.rebalance(List.of(REQ1)); // REQ0 revoked: answered calls are published and committed

        long finishedOnReq0 = started.stream().filter(id -> id.startsWith("a")).count();
        assertThat(committed(REQ0)).isEqualTo(finishedOnReq0);
        steps(3);
        assertThat(gateway.charges()).extracting(c -> c.request().paymentId())
                .as("queued work of the revoked partition is handed back, not charged")
                .filteredOn(id -> id.startsWith("a")).hasSize((int) finishedOnReq0);
        assertThat(gateway.chargeFor("b0")).isPresent();
    }

    /** Regression test for the fix in e1bbe77: revocation re-commits every finished partition. */
    @Test
    void revocationCommitsOffsetsWhoseAsyncCommitFailed() {
        assign(REQ0, REQ1);
        request(REQ0, "p0");
        steps(2);
        approve("p0");
        consumer.failNextCommits = 2;
        stepWithCommit();
        stepWithCommit();
        assertThat(committed(REQ0)).as("both async commits failed").isNull();

        consumer.rebalance(List.of(REQ1));

        assertThat(committed(REQ0)).isEqualTo(1L);
    }

    // ------------------------------------------------------------------ regressions (bugs found by these tests)

    @Test
    void aFailedAsyncCommitIsRetriedEvenWhenNoNewRecordsFinish() {
        assign(REQ0);
        request(REQ0, "p0");
        steps(2);
        approve("p0");
        consumer.failNextCommits = 2;
        stepWithCommit();
        stepWithCommit();
        assertThat(committed(REQ0)).as("both commits failed").isNull();

        stepWithCommit();
        assertThat(committed(REQ0)).as("retried although nothing new finished").isEqualTo(1L);
    }

    @Test
    void lookUpsRefusedByTheBreakerAreNotCountedAsLookUps() {
        assign(RETRY0);
        gateway.answerLookups(id -> new ChargeLookup.Failed("breaker_open", "circuit breaker open: look-up not made"));
        add(RETRY0, "maybe", PaymentJson.encodeRequest(TestPayments.request("maybe")),
                retryHeaders(clock.millis(), 1, true));
        steps(3);
        gateway.answerLookups(id -> new ChargeLookup.Found(new GatewayOutcome.Approved("ch_1")));
        steps(2);

        assertThat(resultFor("maybe").status()).isEqualTo(PaymentStatus.APPROVED);
        assertThat(registry.get("paypipe.gateway.lookup.calls").counter().count())
                .as("one real look-up; the refusals were never sent").isEqualTo(1.0);
    }

    @Test
    void aHeadDueLaterThanItsTierHoldsThePartitionForOneTierDelayThenGoesToTheBackUncharged() {
        assign(RETRY0);
        long skewedDue = clock.millis() + Duration.ofHours(1).toMillis();
        byte[] value = PaymentJson.encodeRequest(TestPayments.request("skewed"));
        RecordHeaders headers = retryHeaders(skewedDue, 1, false);
        add(RETRY0, "skewed", value, headers);
        steps(2);
        assertThat(consumer.paused()).containsExactly(RETRY0);

        clock.advance(TIER_1S);
        loop.step();
        addAt(RETRY0, 0, "skewed", value, headers);
        steps(2);

        assertThat(gateway.chargeFor("skewed")).as("never charged before its due time").isEmpty();
        assertThat(sentTo(RETRY0.topic())).as("forwarded to the back of its own tier").singleElement()
                .satisfies(r -> assertThat(header(r, PaymentHeaders.DUE_AT)).isEqualTo(Long.toString(skewedDue)));
        assertThat(consumer.paused()).as("the partition flows again").doesNotContain(RETRY0);
    }
}
