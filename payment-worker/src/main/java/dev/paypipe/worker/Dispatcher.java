package dev.paypipe.worker;

import dev.paypipe.dispatch.KeySequencer;
import dev.paypipe.gateway.ChargeLookup;
import dev.paypipe.gateway.GatewayOutcome;
import dev.paypipe.gateway.GuardedGateway;
import dev.paypipe.gateway.PaymentGateway;
import dev.paypipe.processing.Decision;
import dev.paypipe.processing.PaymentProcessor;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Dispatch and completions: admitted work waits behind earlier work for its key and for a free
 * in-flight slot, goes to the gateway (a look-up first when an earlier attempt may have charged, then
 * a charge in the same slot when the look-up finds none), and its answer becomes a {@link Decision}
 * that is handed to the outputs. Gateway callbacks only enqueue; everything else runs on the poll thread.
 */
final class Dispatcher {

    /** Receives every final or retry decision; the outputs publish it. */
    interface Decided {
        void decided(Work work, Decision decision);
    }

    private final PaymentGateway gateway;
    private final PaymentProcessor processor;
    private final WorkerMetrics metrics;
    private final Clock clock;
    private final Decided decided;
    private final KeySequencer<Work> sequencer = new KeySequencer<>();
    private final ArrayDeque<Work> ready = new ArrayDeque<>();
    private final LinkedBlockingQueue<Work> completions = new LinkedBlockingQueue<>();
    /** Written by the poll thread only; volatile for the in-flight gauge. */
    private volatile int inFlight;

    Dispatcher(PaymentGateway gateway, PaymentProcessor processor, WorkerMetrics metrics, Clock clock, Decided decided) {
        this.gateway = gateway;
        this.processor = processor;
        this.metrics = metrics;
        this.clock = clock;
        this.decided = decided;
    }

    /** Queues {@code work} for the gateway, behind any earlier work for the same key. */
    void admit(Work work) {
        if (sequencer.tryStart(work.key(), work)) {
            work.holdsKey = true;
            ready.addLast(work);
        }
    }

    /** Starts queued work until {@code max} calls are open. Work of a revoked or draining partition is handed back. */
    void dispatch(int max) {
        Work work;
        while ((work = ready.peekFirst()) != null) {
            if (work.partition.revoked || work.partition.draining) {
                // Handed back, also when no slot is free (paused): the new owner processes it again from the committed offset.
                ready.pollFirst();
                release(work);
                continue;
            }
            if (inFlight >= max) {
                break;
            }
            ready.pollFirst();
            inFlight++;
            work.partition.active++;
            work.dispatched = true;
            work.sentAtMillis = clock.millis();
            if (work.history.ambiguous()) {
                Work w = work;
                gateway.lookup(w.key()).thenAccept(result -> {
                    w.lookup = result;
                    completions.add(w);
                });
            } else {
                charge(work);
            }
        }
    }

    private void charge(Work w) {
        gateway.charge(w.request).thenAccept(outcome -> {
            w.outcome = outcome;
            completions.add(w);
        });
    }

    /** Turns every gateway answer that has arrived into a decision. */
    void drainCompletions() {
        Work work;
        while ((work = completions.poll()) != null) {
            onAnswer(work);
        }
    }

    /** Waits up to {@code millis} for one gateway answer and handles it; false when none came. */
    boolean awaitCompletion(long millis) throws InterruptedException {
        Work work = completions.poll(millis, TimeUnit.MILLISECONDS);
        if (work == null) {
            return false;
        }
        onAnswer(work);
        return true;
    }

    private void onAnswer(Work work) {
        metrics.gatewayLatency(clock.millis() - work.sentAtMillis);
        ChargeLookup lookup = work.lookup;
        GatewayOutcome outcome = work.outcome;
        work.lookup = null;
        work.outcome = null;
        Decision decision;
        if (lookup != null) {
            if (lookup instanceof ChargeLookup.Failed f && GuardedGateway.refusedBeforeSending(f.errorClass())) {
                requeue(work);
                return;
            }
            metrics.lookup();
            decision = processor.afterLookup(work.request, work.history, lookup, work.sentAtMillis);
            if (decision instanceof Decision.ChargeAgain again) {
                // The gateway has no charge for this key: charge now, in the same in-flight slot.
                work.history = again.history();
                work.sentAtMillis = clock.millis();
                charge(work);
                return;
            }
        } else {
            if (outcome instanceof GatewayOutcome.Retryable r && GuardedGateway.refusedBeforeSending(r.errorClass())) {
                requeue(work);
                return;
            }
            metrics.chargeCall();
            decision = processor.afterCharge(work.request, work.history, outcome, work.sentAtMillis);
        }
        inFlight--;
        decided.decided(work, decision);
        release(work);
    }

    /** The call was refused before it was made: no attempt used, back to the front of the queue. */
    private void requeue(Work work) {
        inFlight--;
        work.partition.active--;
        work.dispatched = false;
        ready.addFirst(work);
    }

    /** Lets the next work for this key start. */
    private void release(Work work) {
        if (!work.holdsKey) {
            return;
        }
        work.holdsKey = false;
        Work next = sequencer.release(work.key());
        if (next != null) {
            next.holdsKey = true;
            ready.addLast(next);
        }
    }

    int inFlight() {
        return inFlight;
    }

    /** Work admitted and not yet sent: ready, or waiting behind its key. */
    int backlog() {
        return ready.size() + sequencer.waiting();
    }

    /** Whether calls are open or work is ready to start, so the loop should poll briefly. */
    boolean busy() {
        return inFlight > 0 || !ready.isEmpty();
    }
}
