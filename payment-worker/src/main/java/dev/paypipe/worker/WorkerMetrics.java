package dev.paypipe.worker;

import dev.paypipe.model.PaymentStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The worker's meters, created once; hot-path methods only increment. */
final class WorkerMetrics {
    private final MeterRegistry registry;
    private final Map<PaymentStatus, Counter> results = new EnumMap<>(PaymentStatus.class);
    private final Map<Duration, Counter> retriesByTier = new ConcurrentHashMap<>();
    private final Counter chargeCalls;
    private final Counter lookups;
    private final Counter deadLetters;
    private final Timer gatewayLatency;

    WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (PaymentStatus s : PaymentStatus.values()) {
            results.put(s, Counter.builder("paypipe.results").tag("status", s.name())
                    .description("final results published").register(registry));
        }
        chargeCalls = Counter.builder("paypipe.gateway.charge.calls").description("POST /v1/charges calls started")
                .register(registry);
        lookups = Counter.builder("paypipe.gateway.lookup.calls").description("GET look-ups started").register(registry);
        deadLetters = Counter.builder("paypipe.dead.letters").tag("topic", "payment-requests-dlq").register(registry);
        gatewayLatency = Timer.builder("paypipe.gateway.latency").publishPercentiles(0.5, 0.99)
                .description("gateway call latency").register(registry);
    }

    void result(PaymentStatus status) {
        results.get(status).increment();
    }

    void chargeCall() {
        chargeCalls.increment();
    }

    void lookup() {
        lookups.increment();
    }

    void deadLetter() {
        deadLetters.increment();
    }

    long deadLetters() {
        return (long) deadLetters.count();
    }

    void gatewayLatency(long millis) {
        gatewayLatency.record(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    void retry(Duration tier) {
        retriesByTier.computeIfAbsent(tier, t -> Counter.builder("paypipe.retries").tag("tier", t.toString())
                .register(registry)).increment();
    }

    /** Retries so far by tier delay (for reports). */
    Map<Duration, Long> retriesByTier() {
        Map<Duration, Long> out = new java.util.TreeMap<>();
        retriesByTier.forEach((tier, c) -> out.put(tier, (long) c.count()));
        return out;
    }
}
