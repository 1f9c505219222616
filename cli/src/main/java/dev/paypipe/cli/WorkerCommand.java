package dev.paypipe.cli;

import dev.paypipe.worker.PaymentWorker;
import dev.paypipe.worker.WorkerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs a payment worker until SIGTERM/SIGINT, then drains calls in flight and commits. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Consume payment requests, call the gateway, publish results.")
final class WorkerCommand implements Runnable {
    @Mixin
    ConfigOption config;

    @Override
    public void run() {
        WorkerConfig workerConfig = WorkerConfig.from(config.load());
        PaymentWorker worker = new PaymentWorker(workerConfig, new SimpleMeterRegistry());
        runUntilSignalled(worker::start, worker::close);
    }

    static void runUntilSignalled(Runnable start, Runnable stop) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            stopped.countDown();
        }, "paypipe-shutdown"));
        start.run();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
