package dev.paypipe.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultMixTest {
    private static SimulatorConfig build(FaultMix mix) {
        return mix.apply(SimulatorConfig.builder()).build();
    }

    @Test
    void hostileFaultsAboutAThirdOfChargesAndATenthOfLookups() {
        SimulatorConfig hostile = build(FaultMix.HOSTILE);

        assertThat(hostile.totalFaultRate()).isCloseTo(1.0 / 3, within(0.01));
        assertThat(hostile.lookupFailureRate() + hostile.lookupTimeoutRate()).isCloseTo(0.10, within(1e-9));
        assertThat(hostile.dripInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(hostile.retryAfterSeconds()).isEqualTo(1);
        for (InjectedFault fault : InjectedFault.values()) {
            assertThat(hostile.faultRate(fault)).as("hostile uses %s", fault).isPositive();
        }
        assertThat(hostile.slowDripRate()).as("a small share of drips").isLessThanOrEqualTo(0.005);
    }

    @Test
    void hostileRatesHoldOverManyAttempts() {
        SimulatorConfig hostile = build(FaultMix.HOSTILE);
        Map<InjectedFault, Integer> seen = new EnumMap<>(InjectedFault.class);
        int n = 200_000;
        int faulty = 0;
        for (int i = 0; i < n; i++) {
            InjectedFault fault = Dice.fault(hostile, "pay-" + i, 1);
            if (fault != null) {
                faulty++;
                seen.merge(fault, 1, Integer::sum);
            }
        }

        assertThat(faulty / (double) n).isCloseTo(hostile.totalFaultRate(), within(0.005));
        seen.forEach((fault, count) ->
                assertThat(count / (double) n).as("%s", fault).isCloseTo(hostile.faultRate(fault), within(0.002)));
    }

    @Test
    void transientKeepsTheOldSpreadOfFaultsThatNeverCharge() {
        SimulatorConfig config = FaultMix.TRANSIENT.apply(SimulatorConfig.builder(), 0.2).build();

        assertThat(config.serverErrorRate()).isCloseTo(0.08, within(1e-9));
        assertThat(config.rateLimitRate()).isCloseTo(0.04, within(1e-9));
        assertThat(config.unavailableRate()).isCloseTo(0.04, within(1e-9));
        assertThat(config.timeoutBeforeChargeRate()).isCloseTo(0.04, within(1e-9));
        assertThat(config.totalFaultRate()).isCloseTo(0.2, within(1e-9));
        for (InjectedFault fault : InjectedFault.values()) {
            if (fault.charges()) {
                assertThat(config.faultRate(fault)).as("%s", fault).isZero();
            }
        }
        assertThat(build(FaultMix.TRANSIENT).totalFaultRate()).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void noneClearsEveryFaultWhateverTheRate() {
        SimulatorConfig config = FaultMix.NONE.apply(FaultMix.HOSTILE.apply(SimulatorConfig.builder()), 0.5).build();

        assertThat(config.totalFaultRate()).isZero();
        assertThat(config.lookupFailureRate() + config.lookupTimeoutRate()).isZero();
    }

    @Test
    void hostileScalesToAnotherTotalKeepingItsProportions() {
        SimulatorConfig config = FaultMix.HOSTILE.apply(SimulatorConfig.builder(), 0.1).build();

        assertThat(config.totalFaultRate()).isCloseTo(0.1, within(1e-9));
        assertThat(config.rateLimitRate() / config.slowDripRate()).isCloseTo(16, within(1e-6));
    }

    @Test
    void parsesCliNamesAndListsThemOnABadOne() {
        assertThat(FaultMix.parse("hostile")).isEqualTo(FaultMix.HOSTILE);
        assertThat(FaultMix.parse(" Transient ")).isEqualTo(FaultMix.TRANSIENT);
        assertThat(FaultMix.NONE.cliName()).isEqualTo("none");
        assertThatThrownBy(() -> FaultMix.parse("evil"))
                .hasMessageContaining("evil").hasMessageContaining("none, transient, hostile");
        assertThatThrownBy(() -> FaultMix.HOSTILE.apply(SimulatorConfig.builder(), 1.5))
                .hasMessageContaining("faultRate");
    }

    @Test
    void hostileOutagesAreA15SecondRefusalThenA10SecondHang() {
        assertThat(FaultMix.hostileOutages(Duration.ofSeconds(30), Duration.ofSeconds(20))).containsExactly(
                new OutageWindow(Duration.ofSeconds(30), Duration.ofSeconds(15), OutageMode.UNAVAILABLE),
                new OutageWindow(Duration.ofSeconds(65), Duration.ofSeconds(10), OutageMode.HANG));
    }
}
