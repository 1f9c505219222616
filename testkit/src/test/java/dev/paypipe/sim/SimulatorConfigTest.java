package dev.paypipe.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {

    @Test
    void defaultsAreAHealthyGatewayWithFiftyMillisecondLatency() {
        SimulatorConfig config = SimulatorConfig.defaults();

        assertThat(config.latency()).isEqualTo(LatencyModel.fixed(Duration.ofMillis(50)));
        assertThat(config.declineRate()).isZero();
        assertThat(config.hangTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.outageMode()).isEqualTo(OutageMode.UNAVAILABLE);
        assertThat(config.apiKey()).isEqualTo("sk_test_paypipe");
        assertThat(config.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void rejectsEachBadValueNamingTheField() {
        assertThatThrownBy(() -> SimulatorConfig.builder().declineRate(1.5).build())
                .hasMessageContaining("declineRate").hasMessageContaining("1.5");
        assertThatThrownBy(() -> SimulatorConfig.builder().serverErrorRate(-0.1).build())
                .hasMessageContaining("serverErrorRate");
        assertThatThrownBy(() -> SimulatorConfig.builder().rateLimitRate(Double.NaN).build())
                .hasMessageContaining("rateLimitRate");
        assertThatThrownBy(() -> SimulatorConfig.builder().serverErrorRate(0.6).unavailableRate(0.6).build())
                .hasMessageContaining("must sum to <= 1");
        assertThatThrownBy(() -> SimulatorConfig.builder().hangTime(Duration.ZERO).build())
                .hasMessageContaining("hangTime");
        assertThatThrownBy(() -> SimulatorConfig.builder().retryAfterSeconds(-1).build())
                .hasMessageContaining("retryAfterSeconds");
        assertThatThrownBy(() -> SimulatorConfig.builder().apiKey(" ").build()).hasMessageContaining("apiKey");
        assertThatThrownBy(() -> SimulatorConfig.builder().latency(Duration.ofMillis(-1)).build())
                .hasMessageContaining("latency");
        assertThatThrownBy(() -> LatencyModel.uniform(Duration.ofMillis(20), Duration.ofMillis(10)))
                .hasMessageContaining("latency.max");
        assertThatThrownBy(() -> LatencyModel.logNormal(Duration.ofMillis(50), Duration.ofMillis(10)))
                .hasMessageContaining("latency.p99");
        assertThatThrownBy(() -> SimulatorConfig.builder().outage(Duration.ZERO, Duration.ZERO).build())
                .hasMessageContaining("outage.length");
        assertThatThrownBy(() -> SimulatorConfig.builder().slowDripRate(2).build())
                .hasMessageContaining("slowDripRate");
        assertThatThrownBy(() -> SimulatorConfig.builder().resetAfterChargeRate(0.5).garbage200Rate(0.6).build())
                .hasMessageContaining("charge fault rates").hasMessageContaining("resetAfterChargeRate");
        assertThatThrownBy(() -> SimulatorConfig.builder().lookupFailureRate(0.6).lookupTimeoutRate(0.6).build())
                .hasMessageContaining("look-up fault rates");
        assertThatThrownBy(() -> SimulatorConfig.builder().dripInterval(Duration.ZERO).build())
                .hasMessageContaining("dripInterval");
        assertThatThrownBy(() -> SimulatorConfig.builder().outage(Duration.ZERO, Duration.ofSeconds(1), null).build())
                .hasMessageContaining("outage.mode");
    }

    @Test
    void newFaultsDefaultToOffAndToAFiveBytesPerSecondDrip() {
        SimulatorConfig config = SimulatorConfig.defaults();

        assertThat(config.totalFaultRate()).isZero();
        assertThat(config.lookupFailureRate()).isZero();
        assertThat(config.lookupTimeoutRate()).isZero();
        assertThat(config.dripInterval()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void toStringIsReadableAndNeverShowsTheApiKey() {
        SimulatorConfig config = SimulatorConfig.builder().apiKey("sk_test_secret_value")
                .latency(LatencyModel.logNormal(Duration.ofMillis(40), Duration.ofMillis(400)))
                .outage(Duration.ofSeconds(10), Duration.ofSeconds(5)).build();

        assertThat(config.toString())
                .contains("logNormal(median 40 ms, p99 400 ms)", "outage(+10000 ms for 5000 ms)", "apiKey=<set>")
                .doesNotContain("secret");
    }

    @Test
    void toBuilderRoundTrips() {
        SimulatorConfig config = SimulatorConfig.builder().declineRate(0.1).serverErrorRate(0.02).seed(7)
                .outageMode(OutageMode.TIMEOUT).resetAfterChargeRate(0.01).slowDripRate(0.005)
                .dripInterval(Duration.ofMillis(50)).lookupFailureRate(0.1)
                .outage(Duration.ZERO, Duration.ofSeconds(1), OutageMode.HANG).build();

        assertThat(config.toBuilder().build()).isEqualTo(config);
        assertThat(config.toBuilder().noFaults().build().serverErrorRate()).isZero();
        assertThat(config.toBuilder().noFaults().build().totalFaultRate()).isZero();
        assertThat(config.toBuilder().noFaults().build().lookupFailureRate()).isZero();
    }

    @Test
    void logNormalLatencyHitsTheConfiguredMedianAndP99() {
        LatencyModel model = LatencyModel.logNormal(Duration.ofMillis(50), Duration.ofMillis(500));
        long[] samples = new long[20_000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = model.sampleNanos();
        }
        Arrays.sort(samples);

        assertThat(samples[samples.length / 2] / 1e6).isBetween(45.0, 55.0);
        assertThat(samples[(int) (samples.length * 0.99)] / 1e6).isBetween(400.0, 620.0);
    }

    @Test
    void uniformLatencyStaysInItsRange() {
        LatencyModel model = LatencyModel.uniform(Duration.ofMillis(10), Duration.ofMillis(20));
        for (int i = 0; i < 1000; i++) {
            assertThat(model.sampleNanos()).isBetween(10_000_000L, 20_000_000L);
        }
    }

    @Test
    void declinesAndChargeIdsAreReproducibleForASeed() {
        SimulatorConfig a = SimulatorConfig.builder().declineRate(0.3).seed(1).build();
        SimulatorConfig b = SimulatorConfig.builder().declineRate(0.3).seed(1).build();
        SimulatorConfig other = SimulatorConfig.builder().declineRate(0.3).seed(2).build();

        int same = 0;
        int differs = 0;
        for (int i = 0; i < 1000; i++) {
            String key = "pay-" + i;
            assertThat(Dice.declined(a, key)).isEqualTo(Dice.declined(b, key));
            assertThat(Dice.chargeId(1, key)).isEqualTo(Dice.chargeId(1, key)).matches("ch_[0-9a-f]{16}");
            if (Dice.declined(a, key) == Dice.declined(other, key)) {
                same++;
            } else {
                differs++;
            }
        }
        assertThat(differs).as("another seed declines other keys").isGreaterThan(100);
        assertThat(same).isGreaterThan(0);
    }
}
