package dev.paypipe.gateway;

import dev.paypipe.model.PaymentRequest;
import java.util.concurrent.CompletableFuture;

/**
 * The payment gateway, asynchronously. Implementations never complete exceptionally: every failure
 * is classified into a {@link GatewayOutcome} or {@link ChargeLookup} value. The idempotency key is
 * always the payment id.
 */
public interface PaymentGateway extends AutoCloseable {

    CompletableFuture<GatewayOutcome> charge(PaymentRequest request);

    CompletableFuture<ChargeLookup> lookup(String paymentId);

    @Override
    void close();
}
