package dev.paypipe.cli.dev;

import dev.paypipe.sim.FaultMix;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The demo's named starting points; every figure can still be changed by its own option.
 *
 * <ul>
 *   <li>{@code steady} (the default): what a payments engineer expects to see. 20,000 payments at a steady 200 a
 *       second, a gateway with log-normal latency (median 80 ms, p99 250 ms, capped at 10 x p99), 10 % declines,
 *       the {@code transient} fault mix, 0.3 % timeouts after charging (the worker must look those up), 2 % of the
 *       payments published twice, and a 15 s outage in the middle that opens the breaker and pauses the fleet.
 *   <li>{@code burst}: the old fast run. 10,000 payments as fast as they can be published to a healthy gateway
 *       with a fixed 50 ms latency and 10 % declines: a throughput and capacity check.
 * </ul>
 *
 * @param rate payments per second; 0 = as fast as possible
 * @param latencyP99Ms the gateway's 99th percentile latency; 0 = every call takes {@code latencyMs}
 * @param faultMix the simulator's fault mix; null = transient when {@code --fault-rate} is set, else none
 */
enum DemoScenario {
    STEADY(20_000, 200, 80, 250, FaultMix.TRANSIENT, 0.1, 0.003, 15, 0.02),
    BURST(10_000, 0, 50, 0, null, 0.1, 0, 0, 0);

    final int payments;
    final int rate;
    final long latencyMs;
    final long latencyP99Ms;
    final FaultMix faultMix;
    final double declineRate;
    final double timeoutAfterChargeRate;
    final int outageSeconds;
    final double duplicateRate;

    DemoScenario(int payments, int rate, long latencyMs, long latencyP99Ms, FaultMix faultMix, double declineRate,
            double timeoutAfterChargeRate, int outageSeconds, double duplicateRate) {
        this.payments = payments;
        this.rate = rate;
        this.latencyMs = latencyMs;
        this.latencyP99Ms = latencyP99Ms;
        this.faultMix = faultMix;
        this.declineRate = declineRate;
        this.timeoutAfterChargeRate = timeoutAfterChargeRate;
        this.outageSeconds = outageSeconds;
        this.duplicateRate = duplicateRate;
    }

    /** {@code steady} or {@code burst}, in any case; a bad name lists the good ones. */
    static DemoScenario parse(String name) {
        for (DemoScenario s : values()) {
            if (s.cliName().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + name + "'; expected one of "
                + Arrays.stream(values()).map(DemoScenario::cliName).collect(Collectors.joining(", ")));
    }

    String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
