package dev.paypipe.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.json.PaymentJson;
import dev.paypipe.kafka.PaymentHeaders;
import dev.paypipe.kafka.TopicLayout;
import dev.paypipe.load.BadRecordCorpus;
import dev.paypipe.load.BadRecordCorpus.BadRecord;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The door against every entry of the {@link BadRecordCorpus}, in a {@link TopologyTestDriver}: each is answered
 * REJECTED naming its problem, dead-lettered with the same reason and its own headers, and never accepted.
 */
class HostileInputTopologyTest {
    private static final Instant START = Instant.parse("2026-01-31T12:00:00Z");
    private static final TopicLayout TOPICS = TopicLayout.defaults();

    private final MutableClock clock = new MutableClock(START);
    private final LedgerMetrics metrics = new LedgerMetrics(new SimpleMeterRegistry());
    private final TopologyTestDriver driver = LedgerTestDriver.start(TOPICS, "paypipe-ledger-door-reroute", 1, clock,
            metrics, START);
    private final TestInputTopic<byte[], byte[]> requests = driver.createInputTopic(TOPICS.requests(),
            new ByteArraySerializer(), new ByteArraySerializer());
    private final TestOutputTopic<byte[], byte[]> accepted = driver.createOutputTopic(TOPICS.accepted(),
            new ByteArrayDeserializer(), new ByteArrayDeserializer());
    private final TestOutputTopic<byte[], byte[]> results = driver.createOutputTopic(TOPICS.results(),
            new ByteArrayDeserializer(), new ByteArrayDeserializer());
    private final TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(TOPICS.requestsDlq(),
            new ByteArrayDeserializer(), new ByteArrayDeserializer());

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void theCorpusHasSixtyDistinctlyNamedKindsWithDistinctIds() {
        List<BadRecord> corpus = BadRecordCorpus.generate("h", START);

        assertThat(corpus).hasSizeGreaterThanOrEqualTo(60);
        assertThat(corpus).extracting(BadRecord::name).doesNotHaveDuplicates();
        assertThat(corpus.stream().map(BadRecord::filedUnder).filter(id -> id != null)).doesNotHaveDuplicates();
        assertThat(corpus).allSatisfy(r -> assertThat(r.reason()).isNotBlank());
    }

    @Test
    void everyBadRecordIsRejectedNamingItsProblemAndDeadLetteredNeverAccepted() {
        List<BadRecord> corpus = BadRecordCorpus.generate("h", START);
        long offset = 0;
        for (BadRecord bad : corpus) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(BadRecordCorpus.ENTRY_HEADER, bad.name().getBytes(StandardCharsets.UTF_8));
            requests.pipeInput(new TestRecord<>(bad.key(), bad.value(), headers));

            String expectedId = bad.filedUnder() != null ? bad.filedUnder()
                    : "invalid:" + TOPICS.requests() + "-0@" + offset;
            List<TestRecord<byte[], byte[]>> answered = results.readRecordsToList();
            assertThat(answered).as(bad.name()).hasSize(1);
            PaymentResult result = PaymentJson.decodeResult(answered.get(0).value());
            assertThat(new String(answered.get(0).key(), StandardCharsets.UTF_8)).as(bad.name()).isEqualTo(expectedId);
            assertThat(result.paymentId()).as(bad.name()).isEqualTo(expectedId);
            assertThat(result.status()).as(bad.name()).isEqualTo(PaymentStatus.REJECTED);
            assertThat(result.reason()).as(bad.name()).contains(bad.reason());
            if (result.orderId() != null) {
                assertThat(result.orderId().chars()).as(bad.name() + ": a storable orderId (no NUL, no bidi control)")
                        .noneMatch(c -> c == 0 || Character.getType(c) == Character.FORMAT);
            }

            List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
            assertThat(dead).as(bad.name()).hasSize(1);
            assertThat(PaymentHeaders.string(dead.get(0).headers(), PaymentHeaders.ERROR_MESSAGE)).as(bad.name())
                    .contains(bad.reason());
            assertThat(PaymentHeaders.string(dead.get(0).headers(), BadRecordCorpus.ENTRY_HEADER)).isEqualTo(bad.name());
            assertThat(dead.get(0).value()).as(bad.name() + ": the raw bytes are kept").isEqualTo(bad.value());
            assertNoCardNumberIn(bad.name(), result.reason());
            dead.get(0).headers().forEach(h -> assertNoCardNumberIn(bad.name() + " header " + h.key(),
                    new String(h.value(), StandardCharsets.UTF_8)));
            offset++;
        }
        assertThat(accepted.isEmpty()).as("nothing bad goes on to the worker").isTrue();
        assertThat(metrics.rejected()).isEqualTo(corpus.size());
    }

    @Test
    void aValidPaymentAfterTheWholeCorpusIsStillAccepted() {
        Set<String> ids = new HashSet<>();
        for (BadRecord bad : BadRecordCorpus.generate("h", START)) {
            requests.pipeInput(bad.key(), bad.value());
            ids.add(bad.filedUnder());
        }
        String id = "h-valid";
        byte[] valid = ("{\"paymentId\":\"" + id + "\",\"orderId\":\"o\",\"amount\":\"1.00\",\"currency\":\"EUR\","
                + "\"customerId\":\"c\",\"paymentMethod\":\"tok_1\",\"createdAt\":\"" + START + "\"}")
                .getBytes(StandardCharsets.UTF_8);

        requests.pipeInput(id.getBytes(StandardCharsets.UTF_8), valid);

        assertThat(accepted.readValuesToList()).containsExactly(valid);
        assertThat(ids).doesNotContain(id);
    }

    private static void assertNoCardNumberIn(String what, String text) {
        for (String card : BadRecordCorpus.CARD_NUMBERS) {
            assertThat(text).as(what).doesNotContain(card);
        }
    }
}
