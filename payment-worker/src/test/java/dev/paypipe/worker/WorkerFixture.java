package dev.paypipe.worker;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.gateway.ChargeLookup;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.gateway.GatewayOutcome;
import dev.paypipe.gateway.HttpPaymentGateway;
import dev.paypipe.gateway.PaymentGateway;
import dev.paypipe.model.PaymentRequest;
import dev.paypipe.kafka.PaymentPublisher;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.load.ResultCollector;
import dev.paypipe.retry.RetryPolicy;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.testkit.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** A fresh pipeline slice for one test: topics, a gateway simulator, workers, a publisher and collectors. */
final class WorkerFixture implements AutoCloseable {
    final KafkaSettings kafka;
    final GatewaySimulator sim;
    final PaymentPublisher publisher;
    final ResultCollector results;
    final ResultCollector deadLetters;
    final PaymentFactory payments = new PaymentFactory("p" + UUID.randomUUID().toString().substring(0, 6));
    private final WorkerConfig config;
    private final List<PaymentWorker> workers = new ArrayList<>();

    private WorkerFixture(KafkaBroker broker, SimulatorConfig simConfig, UnaryOperator<WorkerConfig> tweak) {
        this.kafka = broker.freshTopics(4);
        this.sim = GatewaySimulator.start(simConfig);
        GatewayConfig gateway = new GatewayConfig(sim.baseUri(), SimulatorConfig.DEFAULT_API_KEY,
                Duration.ofMillis(500), Duration.ofMillis(600), 256, 1);
        WorkerConfig base = WorkerConfig.of(kafka, gateway)
                .withMaxInFlight(256)
                .withRampPeriod(Duration.ofSeconds(1))
                .withRetry(new RetryPolicy(List.of(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5)),
                        Duration.ofMillis(100), Duration.ofSeconds(2), 10));
        this.config = tweak.apply(base);
        this.publisher = new PaymentPublisher(kafka);
        this.results = ResultCollector.results(kafka.bootstrapServers(), kafka.topics().results());
        this.deadLetters = ResultCollector.raw(kafka.bootstrapServers(), kafka.topics().requestsDlq());
    }

    static WorkerFixture start(KafkaBroker broker, SimulatorConfig sim, UnaryOperator<WorkerConfig> tweak) {
        WorkerFixture f = new WorkerFixture(broker, sim, tweak);
        f.addWorker();
        return f;
    }

    /** Every gateway call the fixture's workers made: payment id and wall-clock millis when it started. */
    final java.util.Queue<Call> calls = new java.util.concurrent.ConcurrentLinkedQueue<>();

    record Call(String paymentId, long atMillis, boolean lookup) {
    }

    PaymentWorker addWorker() {
        PaymentGateway http = new HttpPaymentGateway(config.gateway());
        PaymentGateway recording = new PaymentGateway() {
            @Override
            public java.util.concurrent.CompletableFuture<GatewayOutcome> charge(PaymentRequest request) {
                calls.add(new Call(request.paymentId(), System.currentTimeMillis(), false));
                return http.charge(request);
            }

            @Override
            public java.util.concurrent.CompletableFuture<ChargeLookup> lookup(String paymentId) {
                calls.add(new Call(paymentId, System.currentTimeMillis(), true));
                return http.lookup(paymentId);
            }

            @Override
            public void close() {
                http.close();
            }
        };
        PaymentWorker worker = new PaymentWorker(config, recording, new SimpleMeterRegistry(), java.time.Clock.systemUTC());
        worker.start();
        workers.add(worker);
        return worker;
    }

    WorkerConfig config() {
        return config;
    }

    PaymentWorker worker(int i) {
        return workers.get(i);
    }

    void publish(int from, int toExclusive) {
        for (int i = from; i < toExclusive; i++) {
            publisher.publish(payments.request(i));
        }
        publisher.flush();
    }

    @Override
    public void close() {
        workers.forEach(PaymentWorker::close);
        publisher.close();
        results.close();
        deadLetters.close();
        sim.close();
    }
}
