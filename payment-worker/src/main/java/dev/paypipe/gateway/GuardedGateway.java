package dev.paypipe.gateway;

import dev.paypipe.gateway.FailureClassifier.BreakerVerdict;
import dev.paypipe.model.PaymentRequest;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PaymentGateway} behind a Resilience4j bulkhead (calls open at once) and circuit breaker.
 * The bulkhead never waits: a call it refuses is {@code Retryable("bulkhead_full")}, like one the
 * breaker refuses ({@code Retryable("breaker_open")}); neither call is made. How each answer counts
 * for the breaker is {@link FailureClassifier#breakerVerdict}; a 401/403 forces the breaker open for
 * the whole worker until an operator calls {@link #resetBreaker()}. Call time comes from the
 * breaker's clock ({@code CircuitBreakerConfig.clock}), so slow-call tests move a fake clock.
 */
public final class GuardedGateway implements PaymentGateway {
    /** Error class of a call the open breaker refused. */
    public static final String BREAKER_OPEN = "breaker_open";
    /** Error class of a call the full bulkhead refused. */
    public static final String BULKHEAD_FULL = "bulkhead_full";

    private static final Logger log = LoggerFactory.getLogger(GuardedGateway.class);
    private static final FailedCall FAILED = new FailedCall();

    private final PaymentGateway delegate;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final Clock clock;
    private final AtomicBoolean fleetStopped = new AtomicBoolean();
    private final AtomicLong authFailures = new AtomicLong();

    public GuardedGateway(PaymentGateway delegate, CircuitBreaker breaker, Bulkhead bulkhead) {
        this.delegate = delegate;
        this.breaker = breaker;
        this.bulkhead = bulkhead;
        this.clock = breaker.getCircuitBreakerConfig().getClock();
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
        Instant start = clock.instant();
        return delegate.charge(request).thenApply(outcome -> {
            release(start, FailureClassifier.breakerVerdict(outcome), outcome.errorClass(), "charge");
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
        Instant start = clock.instant();
        return delegate.lookup(paymentId).thenApply(lookup -> {
            release(start, FailureClassifier.breakerVerdict(lookup),
                    lookup instanceof ChargeLookup.Failed f ? f.errorClass() : null, "lookup");
            return lookup;
        });
    }

    /** Operator: back to CLOSED with an empty window, also after a 401/403 stop (once the key is fixed). */
    public void resetBreaker() {
        fleetStopped.set(false);
        breaker.reset();
        log.atWarn().setMessage("circuit breaker reset by operator").addKeyValue("event", "circuit_breaker_reset")
                .log();
    }

    /** Operator: hold the breaker open (no gateway calls, fetching stopped) until {@link #auto()} or reset. */
    public void forceOpen() {
        breaker.transitionToForcedOpenState();
    }

    /** Operator: leave a forced state (forced open, disabled) and let failure rates decide again. */
    public void auto() {
        CircuitBreaker.State state = breaker.getState();
        if (state == CircuitBreaker.State.FORCED_OPEN || state == CircuitBreaker.State.DISABLED
                || state == CircuitBreaker.State.METRICS_ONLY) {
            fleetStopped.set(false);
            breaker.transitionToClosedState();
        }
    }

    /** Answers 401/403 seen so far (each forces the breaker open). */
    public long authFailures() {
        return authFailures.get();
    }

    /**
     * Whether an outcome's error class says this guard refused the call before it was made (breaker
     * open, bulkhead full): nothing was sent, so no attempt was used and the work can simply wait.
     */
    public static boolean refusedBeforeSending(String errorClass) {
        return BREAKER_OPEN.equals(errorClass) || BULKHEAD_FULL.equals(errorClass);
    }

    /** Takes a bulkhead slot and a breaker permission; returns the refusal class when either says no. */
    private String acquire() {
        if (!bulkhead.tryAcquirePermission()) {
            return BULKHEAD_FULL;
        }
        if (!breaker.tryAcquirePermission()) {
            bulkhead.onComplete();
            return BREAKER_OPEN;
        }
        return null;
    }

    private static String describe(String refusal) {
        return BREAKER_OPEN.equals(refusal) ? "circuit breaker open" : "too many gateway calls open";
    }

    /** Frees the bulkhead slot and tells the breaker how the call went. */
    private void release(Instant start, BreakerVerdict verdict, String errorClass, String call) {
        bulkhead.onComplete();
        long elapsed = Math.max(0, Duration.between(start, clock.instant()).toNanos());
        switch (verdict) {
            case NOT_COUNTED -> breaker.releasePermission();
            case FAILURE -> breaker.onError(elapsed, TimeUnit.NANOSECONDS, FAILED);
            case SUCCESS -> breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
            case STOP_FLEET -> {
                breaker.releasePermission();
                stopFleet(errorClass, call);
            }
        }
    }

    /** 401/403: every payment would fail the same way, so no call is made until an operator resets. */
    private void stopFleet(String errorClass, String call) {
        authFailures.incrementAndGet();
        if (breaker.getState() != CircuitBreaker.State.FORCED_OPEN) {
            breaker.transitionToForcedOpenState();
        }
        if (fleetStopped.compareAndSet(false, true)) {
            log.atError().setMessage("gateway refused the API key; fleet stopped")
                    .addKeyValue("event", "gateway_auth_failed")
                    .addKeyValue("status", errorClass.substring("http_".length()))
                    .addKeyValue("call", call)
                    .addKeyValue("action", "fleet stopped: fix gateway.api-key, then reset the breaker")
                    .log();
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
