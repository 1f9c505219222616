package dev.paypipe.bench;

import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.gateway.HttpPaymentGateway;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop throughput of {@link HttpPaymentGateway} against the in-process simulator: how many
 * charges per second the gateway path alone sustains. A benchmark, not a test: it reports figures.
 * Args: concurrency latencyMs seconds.
 */
public final class GatewayClientBench {
    public static void main(String[] args) throws Exception {
        int concurrency = Integer.parseInt(args[0]);
        long latencyMs = Long.parseLong(args[1]);
        int seconds = Integer.parseInt(args[2]);
        try (GatewaySimulator sim = GatewaySimulator.start(SimulatorConfig.builder()
                .latency(Duration.ofMillis(latencyMs)).noFaults().build());
                HttpPaymentGateway gateway = new HttpPaymentGateway(new GatewayConfig(sim.baseUri(),
                        SimulatorConfig.DEFAULT_API_KEY, Duration.ofSeconds(1), Duration.ofSeconds(10), concurrency, 2))) {
            PaymentFactory payments = new PaymentFactory("bench" + System.nanoTime());
            Semaphore slots = new Semaphore(concurrency);
            AtomicLong done = new AtomicLong();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long warm = System.nanoTime() + 3_000_000_000L;
            long warmDone = -1;
            int i = 0;
            while (System.nanoTime() < end) {
                slots.acquire();
                if (warmDone < 0 && System.nanoTime() > warm) {
                    warmDone = done.get();
                    warm = System.nanoTime();
                }
                gateway.charge(payments.request(i++)).whenComplete((o, e) -> {
                    done.incrementAndGet();
                    slots.release();
                });
            }
            double secs = (System.nanoTime() - warm) / 1e9;
            System.out.printf("concurrency %d latency %d ms: %.0f charges/s%n", concurrency, latencyMs,
                    (done.get() - warmDone) / secs);
        }
    }
}
