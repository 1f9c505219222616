package dev.paypipe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paypipe.kafka.PaymentHeaders;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The worker against a real broker and the gateway simulator over HTTP. */
@ExtendWith(PaypipeInfraExtension.class)
class PaymentWorkerIT {
    private final KafkaBroker kafka;

    PaymentWorkerIT(KafkaBroker kafka) {
        this.kafka = kafka;
    }

    @Test
    void approvesAndDeclinesEveryPaymentExactlyOnceWithOneChargeEach() {
        SimulatorConfig sim = SimulatorConfig.builder().latency(Duration.ofMillis(20)).declineRate(0.2).noFaults().build();
        try (WorkerFixture f = WorkerFixture.start(kafka, sim, UnaryOperator.identity())) {
            f.publish(0, 1000);

            await().atMost(Duration.ofSeconds(60)).until(() -> f.results.payments() == 1000);

            assertThat(f.results.all().values()).allSatisfy(list -> assertThat(list).hasSize(1));
            List<PaymentResult> latest = f.results.latest();
            assertThat(latest).extracting(PaymentResult::status)
                    .containsOnly(PaymentStatus.APPROVED, PaymentStatus.DECLINED);
            assertThat(latest).filteredOn(r -> r.status() == PaymentStatus.DECLINED).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.declineCode()).isNotBlank());
            assertThat(latest).filteredOn(r -> r.status() == PaymentStatus.APPROVED)
                    .allSatisfy(r -> assertThat(r.gatewayReference()).isNotBlank());
            assertThat(f.sim.ledger().chargedTwice()).isZero();
            assertThat(f.sim.stats().chargeCalls()).isEqualTo(1000);
        }
    }

    @Test
    void declinedPaymentCarriesTheGatewayDeclineCode() {
        SimulatorConfig sim = SimulatorConfig.builder().latency(Duration.ZERO).declineRate(1.0).noFaults().build();
        try (WorkerFixture f = WorkerFixture.start(kafka, sim, UnaryOperator.identity())) {
            f.publish(0, 1);
            String id = f.payments.paymentId(0);

            await().atMost(Duration.ofSeconds(30)).until(() -> !f.results.resultsFor(id).isEmpty());

            PaymentResult result = f.results.resultsFor(id).get(0);
            assertThat(result.status()).isEqualTo(PaymentStatus.DECLINED);
            assertThat(result.declineCode()).isNotBlank();
            assertThat(result.attempts()).isEqualTo(1);
            assertThat(f.sim.ledger().totalCharges()).isZero();
        }
    }

    @Test
    void invalidRequestIsRejectedNamingEachBadFieldAndDeadLettered() {
        SimulatorConfig sim = SimulatorConfig.builder().latency(Duration.ZERO).noFaults().build();
        try (WorkerFixture f = WorkerFixture.start(kafka, sim, UnaryOperator.identity());
                KafkaProducer<String, String> raw = new KafkaProducer<>(
                        java.util.Map.of("bootstrap.servers", kafka.bootstrapServers()),
                        new StringSerializer(), new StringSerializer())) {
            String body = "{\"paymentId\":\"bad-1\",\"orderId\":\"o-1\",\"amount\":\"12.345\",\"currency\":\"EURO\","
                    + "\"customerId\":\"c-1\",\"createdAt\":\"yesterday\"}";
            raw.send(new ProducerRecord<>(f.kafka.topics().requests(), "bad-1", body));
            raw.flush();

            await().atMost(Duration.ofSeconds(30)).until(() -> !f.results.resultsFor("bad-1").isEmpty()
                    && !f.deadLetters.records().isEmpty());

            PaymentResult result = f.results.resultsFor("bad-1").get(0);
            assertThat(result.status()).isEqualTo(PaymentStatus.REJECTED);
            assertThat(result.reason()).contains("currency", "paymentMethod", "createdAt")
                    .doesNotContain("amount: EUR"); // the currency is invalid, so the scale cannot be checked
            ConsumerRecord<String, byte[]> dead = f.deadLetters.records().get(0);
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo(body);
            assertThat(PaymentHeaders.string(dead.headers(), PaymentHeaders.ERROR_CLASS)).isEqualTo("invalid_request");
            assertThat(PaymentHeaders.string(dead.headers(), PaymentHeaders.ORIGIN))
                    .startsWith(f.kafka.topics().requests());
            assertThat(f.sim.stats().chargeCalls()).isZero();
        }
    }

    @Test
    void gatewayTimeoutsEndUnknownAfterTheLastAttemptNeverFailed() {
        // Every attempt times out after the gateway may have processed it: the payment must not be called FAILED.
        SimulatorConfig sim = SimulatorConfig.builder().latency(Duration.ZERO).noFaults()
                .timeoutBeforeChargeRate(1.0).hangTime(Duration.ofSeconds(3)).build();
        try (WorkerFixture f = WorkerFixture.start(kafka, sim, c -> c.withRetry(
                new dev.paypipe.retry.RetryPolicy(List.of(Duration.ofMillis(200)), Duration.ofMillis(50),
                        Duration.ofMillis(100), 2)))) {
            f.publish(0, 1);
            String id = f.payments.paymentId(0);

            await().atMost(Duration.ofSeconds(30)).until(() -> !f.results.resultsFor(id).isEmpty());

            PaymentResult result = f.results.resultsFor(id).get(0);
            assertThat(result.status()).isEqualTo(PaymentStatus.UNKNOWN);
            assertThat(result.attempts()).isEqualTo(2);
            assertThat(result.errorClass()).isEqualTo("deadline_exceeded");
            assertThat(f.sim.stats().lookupCalls()).isGreaterThanOrEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> !f.deadLetters.records().isEmpty());
            assertThat(f.sim.ledger().totalCharges()).isZero();
        }
    }
}
