package dev.paypipe.cli;

import dev.paypipe.sim.SimulatorConfig;

/**
 * How {@code --fault-rate F} is spread over transient gateway faults: the testkit's
 * {@link dev.paypipe.sim.FaultMix#TRANSIENT} (40 % HTTP 500, 20 % 429 with Retry-After, 20 % 503, 20 %
 * timeouts before charging). None of them charges; each costs one more call.
 */
final class FaultMix {
    private FaultMix() {
    }

    static SimulatorConfig.Builder apply(SimulatorConfig.Builder builder, double faultRate) {
        return dev.paypipe.sim.FaultMix.TRANSIENT.apply(builder, faultRate);
    }
}
