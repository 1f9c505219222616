package dev.paypipe.gateway;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CallDeadlines} on one daemon {@link ScheduledThreadPoolExecutor} thread. Cancelled expiries
 * are removed from the queue at once ({@code removeOnCancelPolicy}), so the queue holds only the calls
 * in flight. Expiry actions must be short: they abort a connection and complete a future.
 */
public final class ScheduledCallDeadlines implements CallDeadlines {
    private static final Logger log = LoggerFactory.getLogger(ScheduledCallDeadlines.class);

    private final ScheduledThreadPoolExecutor executor;

    public ScheduledCallDeadlines(String threadName) {
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Expiry schedule(Duration timeout, Runnable onExpiry) {
        ScheduledFuture<?> future = executor.schedule(() -> {
            try {
                onExpiry.run();
            } catch (RuntimeException e) {
                // A failing expiry must not kill the one timer thread that every other call relies on.
                log.atError().setMessage("gateway call expiry failed").addKeyValue("event", "gateway_deadline_error")
                        .addKeyValue("error", e.toString()).setCause(e).log();
            }
        }, Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public int pending() {
        return executor.getQueue().size();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
