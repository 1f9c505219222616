package dev.paypipe.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.examples.OrderPayments.NextStep;
import dev.paypipe.examples.OrderService.Order;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.ledger.LedgerConfig;
import dev.paypipe.ledger.PaymentLedger;
import dev.paypipe.model.PaymentRequest;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import dev.paypipe.worker.PaymentWorker;
import dev.paypipe.worker.WorkerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples against the real pipeline: the in-process broker, the gateway simulator over HTTP, the ledger and a
 * worker. The order service publishes every order (a third of them twice, as a service does after an uncertain
 * send); the results client sees exactly one committed result per payment and maps it to the order's next step.
 */
@ExtendWith(PaypipeInfraExtension.class)
class OrderServiceExampleIT {
    private static final int ORDERS = 30;
    private final KafkaBroker broker;

    OrderServiceExampleIT(KafkaBroker broker) {
        this.broker = broker;
    }

    @Test
    void everyOrderGetsExactlyOneResultAndItsNextStepEvenWhenPublishedTwice(@TempDir Path state) throws Exception {
        KafkaSettings kafka = broker.freshTopics(4);
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<Order> orders = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            String token = i % 5 == 0 ? "tok_decline" : "tok_approve_visa_4242";
            orders.add(new Order("o" + run + "-" + i, (10 + i) + ".50", "EUR", "cus_" + i, token));
        }
        Map<String, List<PaymentResult>> seen = new ConcurrentHashMap<>();
        OrderPayments payments = new OrderPayments();
        PaymentResultsClient.Handler handler = result -> {
            seen.computeIfAbsent(result.paymentId(), id -> new CopyOnWriteArrayList<>()).add(result);
            payments.onResult(result);
        };

        SimulatorConfig simConfig = SimulatorConfig.builder().latency(Duration.ofMillis(5)).declineRate(0).noFaults()
                .build();
        try (GatewaySimulator sim = GatewaySimulator.start(simConfig);
                PaymentLedger ledger = new PaymentLedger(LedgerConfig.of(kafka, state), new SimpleMeterRegistry())) {
            ledger.start();
            ledger.awaitRunning(Duration.ofSeconds(60));
            GatewayConfig gateway = new GatewayConfig(sim.baseUri(), SimulatorConfig.DEFAULT_API_KEY,
                    Duration.ofMillis(500), Duration.ofSeconds(2), 64, 1);
            WorkerConfig workerConfig = WorkerConfig.of(kafka, gateway).withIntake(WorkerConfig.Intake.LEDGER)
                    .withMaxInFlight(64).withRampPeriod(Duration.ofSeconds(1));
            PaymentResultsClient client = new PaymentResultsClient(kafka, "example-" + run, handler);
            Thread clientThread = new Thread(() -> {
                try (client) {
                    client.run();
                }
            }, "example-results-client");
            try (PaymentWorker worker = new PaymentWorker(workerConfig, new SimpleMeterRegistry());
                    OrderService orderService = new OrderService(kafka, Clock.systemUTC())) {
                worker.start();
                clientThread.start();

                assertThatIllegalArgumentException()
                        .isThrownBy(() -> orderService.requestPayment(
                                new Order("o" + run + "-bad", "12.345", "EUR", "cus_x", "tok_approve_visa_4242")))
                        .withMessageContaining("amount");

                for (int i = 0; i < ORDERS; i++) {
                    String id = orderService.requestPayment(orders.get(i));
                    assertThat(id).isEqualTo(OrderService.paymentId(orders.get(i)));
                    if (i % 3 == 0) {
                        // the service could not tell whether its send arrived, so it sends the same request again
                        PaymentRequest again = orderService.paymentRequest(orders.get(i));
                        orderService.publish(again, 1);
                    }
                }

                await().atMost(Duration.ofSeconds(60)).until(() -> payments.payments() == ORDERS);
                await().atMost(Duration.ofSeconds(30)).until(() -> ledger.duplicatesDropped() >= ORDERS / 3);
            } finally {
                client.stop();
                clientThread.join(Duration.ofSeconds(10).toMillis());
            }

            assertThat(seen.values()).allSatisfy(results -> assertThat(results).hasSize(1));
            assertThat(client.malformed()).isZero();
            for (int i = 0; i < ORDERS; i++) {
                Order order = orders.get(i);
                PaymentResult result = payments.latest(OrderService.paymentId(order)).orElseThrow();
                assertThat(result.orderId()).isEqualTo(order.orderId());
                if (i % 5 == 0) {
                    assertThat(result.status()).as(order.orderId()).isEqualTo(PaymentStatus.DECLINED);
                    assertThat(result.declineCode()).isEqualTo("insufficient_funds");
                    assertThat(OrderPayments.nextStep(result)).isEqualTo(NextStep.ASK_FOR_ANOTHER_PAYMENT_METHOD);
                } else {
                    assertThat(result.status()).as(order.orderId()).isEqualTo(PaymentStatus.APPROVED);
                    assertThat(result.gatewayReference()).isNotBlank();
                    assertThat(OrderPayments.nextStep(result)).isEqualTo(NextStep.FULFIL);
                }
            }
            assertThat(sim.ledger().chargedTwice()).isZero();
            assertThat(sim.stats().chargeCalls()).as("second copies never reach the gateway").isEqualTo(ORDERS);
        }
    }
}
