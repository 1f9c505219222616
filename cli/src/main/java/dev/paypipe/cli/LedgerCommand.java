package dev.paypipe.cli;

import dev.paypipe.ledger.LedgerConfig;
import dev.paypipe.ledger.PaymentLedger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the payment ledger (door, exit, status endpoint) until SIGTERM/SIGINT, then commits and stops. */
@Command(name = "ledger", mixinStandardHelpOptions = true,
        description = "Run the payment ledger: strict check and de-duplication in front of the workers, exactly one "
                + "final result per payment behind them, GET /payments/{id} on ledger.http-port.")
final class LedgerCommand implements Runnable {
    @Mixin
    ConfigOption config;

    @Override
    public void run() {
        PaymentLedger ledger = new PaymentLedger(LedgerConfig.from(config.load()), new SimpleMeterRegistry());
        WorkerCommand.runUntilSignalled(ledger::start, ledger::close);
    }
}
