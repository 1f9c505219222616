package dev.paypipe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paypipe.kafka.PaymentHeaders;
import dev.paypipe.kafka.TopicLayout;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.processing.AttemptHistory;
import dev.paypipe.processing.Decision;
import dev.paypipe.testing.MutableClock;
import dev.paypipe.testing.TestPayments;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class OutputPublisherTest {
    private static final TopicLayout TOPICS = TopicLayout.defaults();
    private static final TopicPartition TP = new TopicPartition(TOPICS.accepted(), 0);

    private final MutableClock clock = MutableClock.atDefaultStart();
    /** Sends stay pending until the test acknowledges or fails them. */
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PartitionState ps = new PartitionState(TP, 0);

    private OutputPublisher publisher(WorkerConfig.Intake intake) {
        return new OutputPublisher(producer, new OutputRecords(TOPICS, intake, clock), new WorkerMetrics(registry),
                intake == WorkerConfig.Intake.LEDGER);
    }

    private Work dispatchedWork(long offset, String paymentId) {
        Work work = TestWork.work(ps, TestWork.request(TP, offset, paymentId));
        work.dispatched = true;
        ps.active++;
        return work;
    }

    private static Decision.Finish unknownWithDeadLetter(String paymentId) {
        PaymentResult result = PaymentResult.of(TestPayments.request(paymentId), PaymentStatus.UNKNOWN, null, null,
                "timeout", "gave up", 3, MutableClock.atDefaultStart().instant());
        return new Decision.Finish(result, new Decision.DeadLetterReason("timeout", "gave up", 3));
    }

    private static Decision.Retry retry() {
        return new Decision.Retry(new AttemptHistory(1, false, "http_503", "http_503"), Duration.ofSeconds(1),
                MutableClock.atDefaultStart().instant().plusMillis(800), "unavailable");
    }

    @Test
    void aRecordFinishesOnlyWhenEveryOneOfItsOutputsIsAcknowledged() {
        OutputPublisher outputs = publisher(WorkerConfig.Intake.LEDGER);
        outputs.publish(dispatchedWork(0, "p0"), unknownWithDeadLetter("p0"));

        assertThat(producer.history()).extracting(ProducerRecord::topic)
                .containsExactly(TOPICS.outcomes(), TOPICS.requestsDlq());
        producer.completeNext();
        outputs.drainAcks();
        assertThat(ps.offsets.committable()).as("the dead letter is not acknowledged yet").isEqualTo(-1);
        assertThat(ps.active).isEqualTo(1);

        producer.completeNext();
        outputs.drainAcks();
        assertThat(ps.offsets.committable()).isEqualTo(1);
        assertThat(ps.active).isZero();
    }

    @Test
    void aFailedSendIsSentAgainAndTheOffsetWaitsForIt() {
        OutputPublisher outputs = publisher(WorkerConfig.Intake.DIRECT);
        outputs.publish(dispatchedWork(0, "p0"), new Decision.Finish(
                PaymentResult.approved(TestPayments.request("p0"), "ch_0", 1, clock.instant()), null));

        producer.errorNext(new TimeoutException("broker unreachable"));
        outputs.drainAcks();
        assertThat(producer.history()).as("sent again").hasSize(2);
        assertThat(producer.history().get(1).topic()).isEqualTo(TOPICS.results());
        assertThat(ps.offsets.committable()).isEqualTo(-1);

        producer.completeNext();
        outputs.drainAcks();
        assertThat(ps.offsets.committable()).isEqualTo(1);
    }

    @Test
    void aRetryBehindTheLedgerAlsoReportsProgressOnTheOutcomesTopic() {
        OutputPublisher outputs = publisher(WorkerConfig.Intake.LEDGER);
        outputs.publish(dispatchedWork(0, "p0"), retry());

        assertThat(producer.history()).extracting(ProducerRecord::topic)
                .containsExactly(TOPICS.retryTier(Duration.ofSeconds(1)), TOPICS.outcomes());
        ProducerRecord<String, byte[]> progress = producer.history().get(1);
        assertThat(PaymentHeaders.string(progress.headers(), PaymentHeaders.PROGRESS))
                .isEqualTo(PaymentHeaders.PROGRESS_RETRYING);
        assertThat(registry.get("paypipe.retries").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aRetryWithoutTheLedgerSendsOnlyTheRetryRecord() {
        OutputPublisher outputs = publisher(WorkerConfig.Intake.DIRECT);
        outputs.publish(dispatchedWork(0, "p0"), retry());

        assertThat(producer.history()).extracting(ProducerRecord::topic)
                .containsExactly(TOPICS.retryTier(Duration.ofSeconds(1)));
    }

    @Test
    void anUndispatchedRecordCountsAsActiveUntilItsOutputsAreAcknowledged() {
        OutputPublisher outputs = publisher(WorkerConfig.Intake.DIRECT);
        Work rejected = TestWork.work(ps, TestWork.request(TP, 0, "bad"));
        outputs.publish(rejected, unknownWithDeadLetter("bad"));
        assertThat(ps.active).isEqualTo(1);

        producer.completeNext();
        producer.completeNext();
        outputs.drainAcks();
        assertThat(ps.active).isZero();
    }

    @Test
    void aRecordSentToTheBackOfItsTierKeepsItsKeyValueAndHeaders() {
        OutputPublisher outputs = publisher(WorkerConfig.Intake.DIRECT);
        TopicPartition tier = new TopicPartition(TOPICS.retryTier(Duration.ofSeconds(1)), 0);
        ConsumerRecord<String, byte[]> held = TestWork.retry(tier, 4, "skewed", clock.millis() + 3_600_000);
        Work work = new Work(held, ps, ps.offsets.track(4));

        outputs.sendToBack(work);

        ProducerRecord<String, byte[]> sent = producer.history().get(0);
        assertThat(sent.topic()).isEqualTo(tier.topic());
        assertThat(sent.key()).isEqualTo("skewed");
        assertThat(sent.value()).isEqualTo(held.value());
        assertThat(PaymentHeaders.string(sent.headers(), PaymentHeaders.DUE_AT))
                .isEqualTo(Long.toString(clock.millis() + 3_600_000));
    }

    @Test
    void acknowledgementsAfterRevocationDoNotTouchTheGoneOffsets() {
        OutputPublisher outputs = publisher(WorkerConfig.Intake.DIRECT);
        outputs.publish(dispatchedWork(0, "p0"), retry());
        ps.revoked = true;

        producer.completeNext();
        outputs.drainAcks();

        assertThat(ps.offsets.committable()).isEqualTo(-1);
        assertThat(ps.active).isZero();
    }

    @Test
    void aChargeAgainIsNotAnOutput() {
        OutputPublisher outputs = publisher(WorkerConfig.Intake.DIRECT);

        assertThatThrownBy(() -> outputs.publish(dispatchedWork(0, "p0"),
                new Decision.ChargeAgain(AttemptHistory.FRESH))).isInstanceOf(IllegalStateException.class);
        assertThat(producer.history()).isEmpty();
    }
}
