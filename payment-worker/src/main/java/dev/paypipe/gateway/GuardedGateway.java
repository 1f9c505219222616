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

    public CircuitBreaker breaker() {
        return breaker;
    }

    @Override
    public CompletableFuture<GatewayOutcome> charge(PaymentRequest request) {
        String refused = acquire();
        if (refused != null) {
            return CompletableFuture.completedFuture(
                    new GatewayOutcome.Retryable(refused, describe(refused) + ": call not made", null));
        }
        long start = System.nanoTime();
        return delegate.charge(request).thenApply(outcome -> {
            release(start, outcome instanceof GatewayOutcome.InProgress ? CallResult.NOT_COUNTED
                    : FailureClassifier.isBreakerFailure(outcome) ? CallResult.FAILURE : CallResult.SUCCESS);
            return outcome;
        });
    }

    @Override
    public CompletableFuture<ChargeLookup> lookup(String paymentId) {
        String refused = acquire();
        if (refused != null) {
            return CompletableFuture.completedFuture(
                    new ChargeLookup.Failed(refused, describe(refused) + ": look-up not made"));
        }
        long start = System.nanoTime();
        return delegate.lookup(paymentId).thenApply(lookup -> {
            release(start, lookup instanceof ChargeLookup.Failed ? CallResult.FAILURE : CallResult.SUCCESS);
            return lookup;
        });
    }

    /** Takes a bulkhead slot and a breaker permission; returns the refusal class when either says no. */
    private String acquire() {
        if (!bulkhead.tryAcquirePermission()) {
            return "bulkhead_full";
        }
        if (!breaker.tryAcquirePermission()) {
            bulkhead.onComplete();
            return "breaker_open";
        }
        return null;
    }

    private static String describe(String refusal) {
        return "breaker_open".equals(refusal) ? "circuit breaker open" : "too many gateway calls open";
    }

    /** How a call counts for the breaker; a 409 (an earlier attempt still in progress) does not count. */
    private enum CallResult { SUCCESS, FAILURE, NOT_COUNTED }

    /** Frees the bulkhead slot and tells the breaker how the call went. */
    private void release(long startNanos, CallResult result) {
        bulkhead.onComplete();
        long elapsed = System.nanoTime() - startNanos;
        switch (result) {
            case NOT_COUNTED -> breaker.releasePermission();
            case FAILURE -> breaker.onError(elapsed, TimeUnit.NANOSECONDS, FAILED);
            case SUCCESS -> breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
        }
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
