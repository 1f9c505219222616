package dev.paypipe.testing;

import dev.paypipe.gateway.ChargeLookup;
import dev.paypipe.gateway.GatewayOutcome;
import dev.paypipe.gateway.PaymentGateway;
import dev.paypipe.model.PaymentRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A hand-driven {@link PaymentGateway}: every call is recorded with an open future that the test
 * completes, or — when an auto-answer is set — answered at once with a completed future.
 */
public final class FakeGateway implements PaymentGateway {

    /** One charge call made to the gateway. */
    public record ChargeCall(PaymentRequest request, CompletableFuture<GatewayOutcome> future) {
        public void complete(GatewayOutcome outcome) {
            future.complete(outcome);
        }
    }

    /** One look-up made to the gateway. */
    public record LookupCall(String paymentId, CompletableFuture<ChargeLookup> future) {
        public void complete(ChargeLookup lookup) {
            future.complete(lookup);
        }
    }

    private final List<ChargeCall> charges = new ArrayList<>();
    private final List<LookupCall> lookups = new ArrayList<>();
    private Function<PaymentRequest, GatewayOutcome> chargeAnswer;
    private Function<String, ChargeLookup> lookupAnswer;
    private boolean closed;

    /** Answers every later charge at once (a completed future); null to go back to hand-completed futures. */
    public synchronized FakeGateway answerCharges(Function<PaymentRequest, GatewayOutcome> answer) {
        this.chargeAnswer = answer;
        return this;
    }

    /** Answers every later look-up at once; null to go back to hand-completed futures. */
    public synchronized FakeGateway answerLookups(Function<String, ChargeLookup> answer) {
        this.lookupAnswer = answer;
        return this;
    }

    @Override
    public synchronized CompletableFuture<GatewayOutcome> charge(PaymentRequest request) {
        CompletableFuture<GatewayOutcome> future = chargeAnswer == null ? new CompletableFuture<>()
                : CompletableFuture.completedFuture(chargeAnswer.apply(request));
        charges.add(new ChargeCall(request, future));
        return future;
    }

    @Override
    public synchronized CompletableFuture<ChargeLookup> lookup(String paymentId) {
        CompletableFuture<ChargeLookup> future = lookupAnswer == null ? new CompletableFuture<>()
                : CompletableFuture.completedFuture(lookupAnswer.apply(paymentId));
        lookups.add(new LookupCall(paymentId, future));
        return future;
    }

    public synchronized List<ChargeCall> charges() {
        return List.copyOf(charges);
    }

    public synchronized List<LookupCall> lookups() {
        return List.copyOf(lookups);
    }

    /** Charge calls whose future is not completed yet. */
    public synchronized List<ChargeCall> openCharges() {
        return charges.stream().filter(c -> !c.future().isDone()).toList();
    }

    /** The (only) charge call for {@code paymentId}, if one was made. */
    public synchronized Optional<ChargeCall> chargeFor(String paymentId) {
        List<ChargeCall> matching = charges.stream().filter(c -> c.request().paymentId().equals(paymentId)).toList();
        if (matching.size() > 1) {
            throw new AssertionError(paymentId + " was charged " + matching.size() + " times");
        }
        return matching.stream().findFirst();
    }

    public synchronized boolean closed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
