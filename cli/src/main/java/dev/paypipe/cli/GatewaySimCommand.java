package dev.paypipe.cli;

import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Serves the gateway contract for local runs and load tests. */
@Command(name = "gateway-sim", mixinStandardHelpOptions = true,
        description = "Run the payment gateway simulator (POST /v1/charges, GET /v1/charges?idempotencyKey=).")
final class GatewaySimCommand implements Runnable {
    @Option(names = "--port", defaultValue = "8089", description = "Port on 127.0.0.1 (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--latency-ms", defaultValue = "50", description = "Fixed response latency (default ${DEFAULT-VALUE}).")
    long latencyMs;

    @Option(names = "--decline-rate", defaultValue = "0.1", description = "Share of charges declined (default ${DEFAULT-VALUE}).")
    double declineRate;

    @Option(names = "--fault-rate", defaultValue = "0", description = "Share of transient faults (default ${DEFAULT-VALUE}).")
    double faultRate;

    @Override
    public void run() {
        SimulatorConfig config = FaultMix.apply(SimulatorConfig.builder()
                .latency(Duration.ofMillis(latencyMs)).declineRate(declineRate), faultRate).build();
        GatewaySimulator sim = GatewaySimulator.start(config, port);
        System.out.println("gateway simulator listening on " + sim.baseUri() + " (" + config + ")");
        WorkerCommand.runUntilSignalled(() -> { }, sim::close);
    }
}
