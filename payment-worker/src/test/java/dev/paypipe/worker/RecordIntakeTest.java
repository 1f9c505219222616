package dev.paypipe.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.model.PaymentStatus;
import dev.paypipe.processing.AttemptHistory;
import dev.paypipe.processing.Decision;
import dev.paypipe.processing.PaymentProcessor;
import dev.paypipe.retry.RetryPolicy;
import dev.paypipe.testing.FixedRandom;
import dev.paypipe.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class RecordIntakeTest {
    private static final TopicPartition REQUESTS = new TopicPartition("payment-requests", 0);
    private static final TopicPartition RETRY_1S = new TopicPartition("payment-requests-retry-1s", 0);

    private final MutableClock clock = MutableClock.atDefaultStart();
    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    private final AssignedPartitions partitions = new AssignedPartitions(consumer,
            Map.of(RETRY_1S.topic(), 1_000L), Duration.ofMillis(100), clock);
    private final List<Work> admitted = new ArrayList<>();
    private final List<Decision> finished = new ArrayList<>();
    private final List<Work> sentToBack = new ArrayList<>();
    private final RecordIntake intake = new RecordIntake(partitions, new TierGate(clock),
            new PaymentProcessor(RetryPolicy.defaults(), Duration.ofSeconds(5), clock, FixedRandom.max()), consumer,
            new RecordIntake.Handoff() {
                @Override
                public void admit(Work work) {
                    admitted.add(work);
                }

                @Override
                public void finish(Work work, Decision decision) {
                    finished.add(decision);
                }

                @Override
                public void sendToBack(Work work) {
                    sentToBack.add(work);
                }
            });

    RecordIntakeTest() {
        consumer.assign(List.of(REQUESTS, RETRY_1S));
        partitions.add(REQUESTS);
        partitions.add(RETRY_1S);
    }

    @SafeVarargs
    private void poll(TopicPartition tp, ConsumerRecord<String, byte[]>... records) {
        intake.accept(new ConsumerRecords<>(Map.of(tp, List.of(records))));
    }

    @Test
    void aValidRequestIsAdmittedFreshWithItsOffsetTracked() {
        poll(REQUESTS, TestWork.request(REQUESTS, 0, "p0"), TestWork.request(REQUESTS, 1, "p1"));

        assertThat(admitted).extracting(w -> w.request.paymentId()).containsExactly("p0", "p1");
        assertThat(admitted).allSatisfy(w -> assertThat(w.history).isEqualTo(AttemptHistory.FRESH));
        assertThat(partitions.get(REQUESTS).offsets.pending()).isEqualTo(2);
    }

    @Test
    void aRetryRecordCarriesItsAttemptHistoryFromTheHeaders() {
        ConsumerRecord<String, byte[]> r = TestWork.retry(RETRY_1S, 0, "p0", clock.millis());
        RetryHeaders.put(r.headers(), new AttemptHistory(2, true, "timeout", "http_503", Instant.ofEpochMilli(42)),
                clock.instant());

        poll(RETRY_1S, r);

        assertThat(admitted).singleElement().satisfies(w -> assertThat(w.history)
                .isEqualTo(new AttemptHistory(2, true, "timeout", "http_503", Instant.ofEpochMilli(42))));
    }

    @Test
    void anInvalidRequestFinishesRejectedWithoutBeingAdmitted() {
        poll(REQUESTS, TestWork.record(REQUESTS, 0, "k-9", "not json".getBytes(StandardCharsets.UTF_8),
                new RecordHeaders()));

        assertThat(admitted).isEmpty();
        assertThat(finished).singleElement().satisfies(d -> {
            Decision.Finish finish = (Decision.Finish) d;
            assertThat(finish.result().status()).isEqualTo(PaymentStatus.REJECTED);
            assertThat(finish.result().paymentId()).isEqualTo("k-9");
            assertThat(finish.deadLetter()).isNotNull();
        });
    }

    @Test
    void aNotYetDueHeadRewindsAndPausesItsPartitionAndLeavesTheRecordsBehindItUnread() {
        poll(RETRY_1S, TestWork.retry(RETRY_1S, 5, "later", clock.millis() + 500),
                TestWork.retry(RETRY_1S, 6, "due", clock.millis()));

        assertThat(admitted).isEmpty();
        assertThat(consumer.paused()).containsExactly(RETRY_1S);
        assertThat(consumer.position(RETRY_1S)).isEqualTo(5);
        assertThat(partitions.get(RETRY_1S).waitingUntil).isEqualTo(clock.millis() + 500);
        assertThat(partitions.get(RETRY_1S).offsets.pending()).as("nothing tracked past the head").isZero();
    }

    @Test
    void aHeadHeldForAFullTierDelayIsSentToTheBackAndTheNextRecordRuns() {
        long farAway = clock.millis() + Duration.ofHours(1).toMillis();
        poll(RETRY_1S, TestWork.retry(RETRY_1S, 0, "skewed", farAway));
        clock.advance(Duration.ofSeconds(1));

        poll(RETRY_1S, TestWork.retry(RETRY_1S, 0, "skewed", farAway), TestWork.retry(RETRY_1S, 1, "due", clock.millis()));

        assertThat(sentToBack).extracting(w -> w.record.key()).containsExactly("skewed");
        assertThat(admitted).extracting(w -> w.request.paymentId()).containsExactly("due");
    }

    @Test
    void recordsOfARevokedPartitionAreIgnored() {
        partitions.get(REQUESTS).revoked = true;

        poll(REQUESTS, TestWork.request(REQUESTS, 0, "p0"));

        assertThat(admitted).isEmpty();
        assertThat(finished).isEmpty();
    }
}
