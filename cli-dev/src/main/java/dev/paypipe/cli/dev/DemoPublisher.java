package dev.paypipe.cli.dev;

import dev.paypipe.kafka.PaymentPublisher;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.model.PaymentRequest;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes the demo's payments the way real order services do: at a steady rate (or as fast as
 * possible), a share of them twice (half back to back, half again after the first one's result came
 * back) and a share re-published at once with another amount (a conflicting copy). The first copy is
 * the one that counts: {@link #firstAmount(int)} is what the customer may be charged.
 */
final class DemoPublisher implements Runnable {
    private final PaymentPublisher publisher;
    private final PaymentFactory factory;
    private final ResultWatch watch;
    private final int payments;
    private final int rate;
    private final double duplicateRate;
    private final double conflictRate;
    private final long lateDuplicateTimeoutNanos;
    private final BigDecimal[] firstAmounts;
    private final AtomicInteger published = new AtomicInteger();
    private final AtomicInteger copies = new AtomicInteger();
    private final AtomicInteger conflicts = new AtomicInteger();

    DemoPublisher(PaymentPublisher publisher, PaymentFactory factory, ResultWatch watch, int payments, int rate,
            double duplicateRate, double conflictRate, long lateDuplicateTimeoutNanos) {
        this.publisher = publisher;
        this.factory = factory;
        this.watch = watch;
        this.payments = payments;
        this.rate = rate;
        this.duplicateRate = duplicateRate;
        this.conflictRate = conflictRate;
        this.lateDuplicateTimeoutNanos = lateDuplicateTimeoutNanos;
        this.firstAmounts = new BigDecimal[payments];
    }

    @Override
    public void run() {
        SplittableRandom random = new SplittableRandom(42);
        List<PaymentRequest> late = new ArrayList<>();
        long startNanos = System.nanoTime();
        for (int i = 0; i < payments; i++) {
            if (rate > 0) {
                long wait = startNanos + (long) i * 1_000_000_000L / rate - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            PaymentRequest request = factory.request(i);
            firstAmounts[i] = request.amount();
            watch.published(i);
            publisher.publish(request);
            published.incrementAndGet();
            if (random.nextDouble() < conflictRate) {
                publisher.publish(withAmount(request, request.amount().add(BigDecimal.ONE)));
                conflicts.incrementAndGet();
            } else if (random.nextDouble() < duplicateRate) {
                if (random.nextBoolean()) {
                    publisher.publish(request);
                    copies.incrementAndGet();
                } else {
                    late.add(request);
                }
            }
        }
        publisher.flush();
        publishLate(late);
    }

    /** Re-publishes each late copy once its first copy has a result (or after the timeout). */
    private void publishLate(List<PaymentRequest> late) {
        for (PaymentRequest request : late) {
            int i = factory.index(request.paymentId());
            long deadline = System.nanoTime() + lateDuplicateTimeoutNanos;
            while (!watch.hasResult(i) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(10_000_000L); // polling the watch with a deadline, not a synchronisation sleep
            }
            publisher.publish(request);
            copies.incrementAndGet();
        }
        publisher.flush();
    }

    private static PaymentRequest withAmount(PaymentRequest r, BigDecimal amount) {
        return new PaymentRequest(r.paymentId(), r.orderId(), amount, r.currency(), r.customerId(), r.paymentMethod(),
                r.createdAt(), r.metadata());
    }

    /** First copies published so far. */
    int published() {
        return published.get();
    }

    /** Identical second copies published (back to back or late). */
    int duplicateCopies() {
        return copies.get();
    }

    /** Conflicting copies (same payment id, another amount) published. */
    int conflictingCopies() {
        return conflicts.get();
    }

    /** The amount of payment {@code i}'s first copy: the only amount it may be charged. */
    BigDecimal firstAmount(int i) {
        return firstAmounts[i];
    }
}
