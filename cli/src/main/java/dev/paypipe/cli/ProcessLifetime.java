package dev.paypipe.cli;

import java.util.concurrent.CountDownLatch;

/** How a paypipe service process lives: start, run until SIGTERM/SIGINT, stop. */
public final class ProcessLifetime {
    private ProcessLifetime() {
    }

    /**
     * Starts, then waits for SIGTERM/SIGINT and stops. A start that fails stops what it had opened and
     * rethrows, so the process exits non-zero with the reason.
     */
    public static void runUntilSignalled(Runnable start, Runnable stop) {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.run();
            stopped.countDown();
        }, "paypipe-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            start.run();
        } catch (RuntimeException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            stop.run();
            throw e;
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
