package dev.paypipe.gateway;

import dev.paypipe.model.PaymentRequest;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PaymentGateway} behind a Resilience4j bulkhead (calls open at once) and circuit breaker.
 * The bulkhead never waits: a call it refuses is {@code Retryable("bulkhead_full")}, like one the
 * breaker refuses; the worker's own in-flight limit keeps it from ever being reached in practice. Failures (retryable and ambiguous
 * outcomes, failed look-ups) and slow calls count against the breaker; while it is open no call is
 * made and the outcome is {@code Retryable("breaker_open")}. The worker also watches the breaker
 * and stops fetching while it is open, so this fallback is rarely reached.
 */
public final class GuardedGateway implements PaymentGateway {
    private static final FailedCall FAILED = new FailedCall();

    private final PaymentGateway delegate;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;

    public GuardedGateway(PaymentGateway delegate, CircuitBreaker breaker, Bulkhead bulkhead) {
        this.delegate = delegate;
        this.breaker = breaker;
        this.bulkhead = bulkhead;
    }

    /** A bulkhead of {@code maxConcurrentCalls} that refuses at once instead of waiting. */
    public static Bulkhead bulkhead(String name, int maxConcurrentCalls) {
        return Bulkhead.of(name, BulkheadConfig.custom().maxConcurrentCalls(maxConcurrentCalls)
                .maxWaitDuration(Duration.ZERO).build());
    }

    public Bulkhead bulkhead() {
        return bulkhead;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    @Override
    public CompletableFuture<GatewayOutcome> charge(PaymentRequest request) {
        if (!bulkhead.tryAcquirePermission()) {
            return CompletableFuture.completedFuture(
                    new GatewayOutcome.Retryable("bulkhead_full", "too many gateway calls open: call not made", null));
        }
        if (!breaker.tryAcquirePermission()) {
            bulkhead.onComplete();
            return CompletableFuture.completedFuture(
                    new GatewayOutcome.Retryable("breaker_open", "circuit breaker open: call not made", null));
        }
        long start = System.nanoTime();
        return delegate.charge(request).thenApply(outcome -> {
            bulkhead.onComplete();
            long elapsed = System.nanoTime() - start;
            if (outcome instanceof GatewayOutcome.InProgress) {
                breaker.releasePermission();
            } else if (FailureClassifier.isBreakerFailure(outcome)) {
                breaker.onError(elapsed, TimeUnit.NANOSECONDS, FAILED);
            } else {
                breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
            }
            return outcome;
        });
    }

    @Override
    public CompletableFuture<ChargeLookup> lookup(String paymentId) {
        if (!bulkhead.tryAcquirePermission()) {
            return CompletableFuture.completedFuture(
                    new ChargeLookup.Failed("bulkhead_full", "too many gateway calls open: look-up not made"));
        }
        if (!breaker.tryAcquirePermission()) {
            bulkhead.onComplete();
            return CompletableFuture.completedFuture(
                    new ChargeLookup.Failed("breaker_open", "circuit breaker open: look-up not made"));
        }
        long start = System.nanoTime();
        return delegate.lookup(paymentId).thenApply(lookup -> {
            bulkhead.onComplete();
            long elapsed = System.nanoTime() - start;
            if (lookup instanceof ChargeLookup.Failed) {
                breaker.onError(elapsed, TimeUnit.NANOSECONDS, FAILED);
            } else {
                breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
            }
            return lookup;
        });
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** What the breaker records for a failed call; no stack trace, it is a counter, not a diagnosis. */
    private static final class FailedCall extends RuntimeException {
        FailedCall() {
            super("gateway call failed", null, false, false);
        }
    }
}
