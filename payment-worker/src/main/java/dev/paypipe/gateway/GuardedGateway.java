package dev.paypipe.gateway;

import dev.paypipe.model.PaymentRequest;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PaymentGateway} behind a Resilience4j circuit breaker. Failures (retryable and ambiguous
 * outcomes, failed look-ups) and slow calls count against the breaker; while it is open no call is
 * made and the outcome is {@code Retryable("breaker_open")}. The worker also watches the breaker
 * and stops fetching while it is open, so this fallback is rarely reached.
 */
public final class GuardedGateway implements PaymentGateway {
    private static final FailedCall FAILED = new FailedCall();

    private final PaymentGateway delegate;
    private final CircuitBreaker breaker;

    public GuardedGateway(PaymentGateway delegate, CircuitBreaker breaker) {
        this.delegate = delegate;
        this.breaker = breaker;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    @Override
    public CompletableFuture<GatewayOutcome> charge(PaymentRequest request) {
        if (!breaker.tryAcquirePermission()) {
            return CompletableFuture.completedFuture(
                    new GatewayOutcome.Retryable("breaker_open", "circuit breaker open: call not made", null));
        }
        long start = System.nanoTime();
        return delegate.charge(request).thenApply(outcome -> {
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
        if (!breaker.tryAcquirePermission()) {
            return CompletableFuture.completedFuture(
                    new ChargeLookup.Failed("breaker_open", "circuit breaker open: look-up not made"));
        }
        long start = System.nanoTime();
        return delegate.lookup(paymentId).thenApply(lookup -> {
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
