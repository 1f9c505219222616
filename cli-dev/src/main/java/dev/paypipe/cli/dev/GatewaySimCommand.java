package dev.paypipe.cli.dev;

import dev.paypipe.cli.ProcessLifetime;
import dev.paypipe.sim.FaultMix;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Serves the gateway contract for local runs and load tests. */
@Command(name = "gateway-sim", mixinStandardHelpOptions = true,
        description = "Run the payment gateway simulator (POST /v1/charges, GET /v1/charges?idempotencyKey=).")
final class GatewaySimCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8089", description = "Port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Bind address (default ${DEFAULT-VALUE}; 0.0.0.0 inside a container).")
    String host;

    @Option(names = "--latency-ms", defaultValue = "50", description = "Fixed response latency (default ${DEFAULT-VALUE}).")
    long latencyMs;

    @Option(names = "--decline-rate", defaultValue = "0.1", description = "Share of charges declined (default ${DEFAULT-VALUE}).")
    double declineRate;

    @Option(names = "--fault-mix", paramLabel = "none|transient|hostile",
            description = "Named fault mix: none; transient (500/429/503/timeouts that never charge, 10 %%); hostile"
                    + " (a third of charges: also resets, 500s and broken 200s after charging, slow drips; 10 %% of"
                    + " look-ups fail). Default: transient when --fault-rate is given, else none.")
    String faultMix;

    @Option(names = "--fault-rate", description = "Share of charges that meet a fault of the mix, 0..1"
            + " (default: the mix's own rate).")
    Double faultRate;

    @Option(names = "--hostile-outages-after-seconds", paramLabel = "SECONDS",
            description = "Also script the hostile outages this long after start: 15 s of 503, 10 s gap, 10 s that hang.")
    Integer hostileOutagesAfterSeconds;

    @Override
    public void run() {
        FaultMix mix = resolveMix();
        SimulatorConfig.Builder builder = SimulatorConfig.builder()
                .latency(Duration.ofMillis(latencyMs)).declineRate(declineRate);
        mix.apply(builder, faultRate != null ? faultRate : mix.defaultRate());
        if (hostileOutagesAfterSeconds != null) {
            builder.outages(FaultMix.hostileOutages(Duration.ofSeconds(hostileOutagesAfterSeconds), Duration.ofSeconds(10)));
        }
        SimulatorConfig config;
        try {
            config = builder.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        GatewaySimulator sim = GatewaySimulator.start(config, new InetSocketAddress(host, port));
        System.out.println("gateway simulator listening on " + sim.baseUri() + " with fault mix " + mix.cliName()
                + " (" + config + ")");
        ProcessLifetime.runUntilSignalled(() -> { }, sim::close);
    }

    private FaultMix resolveMix() {
        if (faultMix == null) {
            return faultRate != null && faultRate > 0 ? FaultMix.TRANSIENT : FaultMix.NONE;
        }
        try {
            return FaultMix.parse(faultMix);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--fault-mix: " + e.getMessage(), e);
        }
    }
}
