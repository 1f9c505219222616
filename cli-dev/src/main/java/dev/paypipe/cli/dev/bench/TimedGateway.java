package dev.paypipe.cli.dev.bench;

import dev.paypipe.gateway.ChargeLookup;
import dev.paypipe.gateway.GatewayOutcome;
import dev.paypipe.gateway.PaymentGateway;
import dev.paypipe.model.PaymentRequest;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The worker's raw gateway client with each charge call timed (HdrHistogram, microseconds): the gateway's own
 * response times as the worker sees them, before the bulkhead, the breaker and the call deadline around them.
 */
final class TimedGateway implements PaymentGateway {
    private final PaymentGateway delegate;
    private final Histogram micros = new ConcurrentHistogram(3_600_000_000L, 3);

    TimedGateway(PaymentGateway delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<GatewayOutcome> charge(PaymentRequest request) {
        long start = System.nanoTime();
        return delegate.charge(request).whenComplete((outcome, e) -> record(start));
    }

    @Override
    public CompletableFuture<ChargeLookup> lookup(String paymentId) {
        return delegate.lookup(paymentId);
    }

    private void record(long startNanos) {
        micros.recordValue(Math.min(3_600_000_000L, Math.max(0, (System.nanoTime() - startNanos) / 1000)));
    }

    /** Charge response times so far, microseconds. */
    Histogram micros() {
        return micros;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
