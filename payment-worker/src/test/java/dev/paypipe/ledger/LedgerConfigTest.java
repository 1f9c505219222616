package dev.paypipe.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paypipe.config.ConfigException;
import dev.paypipe.config.ConfigSource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerConfigTest {
    @Test
    void defaultsFollowTheTopicPrefix() {
        LedgerConfig c = LedgerConfig.from(ConfigSource.of(Map.of("kafka.topic-prefix", "staging.")));

        assertThat(c.applicationId()).isEqualTo("staging.paypipe-ledger");
        assertThat(c.changelogTopic()).isEqualTo("staging.paypipe-ledger-payment-ledger-changelog");
        assertThat(c.rerouteTopic()).isEqualTo("staging.paypipe-ledger-door-reroute");
        assertThat(c.retention()).isEqualTo(Duration.ofDays(7));
        assertThat(c.createdAtSkew()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.commitInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.minCommitInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(c.httpHost()).isEqualTo("127.0.0.1");
        assertThat(c.httpPort()).isEqualTo(8090);
    }

    @Test
    void aBadValueNamesItsKey() {
        assertThatThrownBy(() -> LedgerConfig.from(ConfigSource.of(Map.of("ledger.retention", "forever"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ledger.retention='forever'");
        assertThatThrownBy(() -> LedgerConfig.from(ConfigSource.of(Map.of("ledger.stream-threads", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ledger.stream-threads");
        assertThatThrownBy(() -> LedgerConfig.from(ConfigSource.of(Map.of("ledger.application-id", "a b"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ledger.application-id");
    }

    @Test
    void theMinimumCommitIntervalMayNotExceedTheCommitInterval() {
        assertThatThrownBy(() -> LedgerConfig.from(ConfigSource.of(Map.of("ledger.commit-interval", "50ms",
                "ledger.min-commit-interval", "80ms"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ledger.min-commit-interval")
                .hasMessageContaining("no longer than ledger.commit-interval");
        LedgerConfig off = LedgerConfig.from(ConfigSource.of(Map.of("ledger.commit-interval", "50ms",
                "ledger.min-commit-interval", "50ms")));
        assertThat(off.minCommitInterval()).isEqualTo(off.commitInterval()); // allowed: pacing off
    }
}
