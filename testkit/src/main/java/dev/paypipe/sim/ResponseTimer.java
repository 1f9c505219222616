package dev.paypipe.sim;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs delayed responses in batches on a 1 ms tick (a hashed timing wheel, as in Netty's
 * {@code HashedWheelTimer}). A response submitted from another thread wakes the I/O reactor; batching
 * per tick lets one wake-up carry several responses and keeps the timer thread from waking once per
 * request. A task never runs before its deadline, and normally at most about one tick after.
 */
final class ResponseTimer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResponseTimer.class);
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int SLOTS = 4096; // one lap = 4.1 s; longer delays wait extra laps in their slot

    private final LongSupplier nanoClock;
    private final long startNanos;
    /** Handed over from any thread; only the tick thread touches the wheel. */
    private final ConcurrentLinkedQueue<Timed> incoming = new ConcurrentLinkedQueue<>();
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Timed>[] wheel = new ArrayDeque[SLOTS];
    private final ScheduledFuture<?> ticking;
    private long lastTick;

    ResponseTimer(ScheduledExecutorService scheduler, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        for (int i = 0; i < SLOTS; i++) {
            wheel[i] = new ArrayDeque<>();
        }
        this.ticking = scheduler.scheduleAtFixedRate(this::tick, TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} on the tick thread once {@code delayNanos} have passed. */
    void schedule(long delayNanos, Runnable task) {
        incoming.add(new Timed(nanoClock.getAsLong() + delayNanos, task));
    }

    @Override
    public void close() {
        ticking.cancel(false);
    }

    void tick() {
        long now = nanoClock.getAsLong();
        Timed timed;
        while ((timed = incoming.poll()) != null) {
            if (timed.deadline - now <= 0) {
                run(timed);
            } else {
                long tick = Math.max(lastTick + 1, ceilTick(timed.deadline));
                wheel[(int) (tick & (SLOTS - 1))].add(timed);
            }
        }
        long currentTick = (now - startNanos) / TICK_NANOS;
        // after a long stall (GC, overloaded box) one lap visits every slot once
        long from = Math.max(lastTick + 1, currentTick - SLOTS + 1);
        for (long t = from; t <= currentTick; t++) {
            ArrayDeque<Timed> slot = wheel[(int) (t & (SLOTS - 1))];
            for (Iterator<Timed> it = slot.iterator(); it.hasNext(); ) {
                Timed due = it.next();
                if (due.deadline - now <= 0) {
                    it.remove();
                    run(due);
                }
            }
        }
        lastTick = Math.max(lastTick, currentTick);
    }

    private long ceilTick(long deadline) {
        return (deadline - startNanos + TICK_NANOS - 1) / TICK_NANOS;
    }

    private static void run(Timed timed) {
        try {
            timed.task.run();
        } catch (RuntimeException e) {
            log.warn("delayed gateway response failed", e);
        }
    }

    private record Timed(long deadline, Runnable task) {
    }
}
