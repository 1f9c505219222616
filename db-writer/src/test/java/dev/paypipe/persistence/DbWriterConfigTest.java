package dev.paypipe.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paypipe.config.ConfigException;
import dev.paypipe.config.ConfigSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DbWriterConfigTest {
    private static final Map<String, String> MINIMAL = Map.of(
            "kafka.bootstrap-servers", "kafka:9092",
            "db.jdbc-url", "jdbc:postgresql://db:5432/paypipe",
            "db.user", "paypipe",
            "db.password", "s3cret-pw");

    private static ConfigSource with(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(MINIMAL);
        values.putAll(extra);
        return ConfigSource.of(values);
    }

    @Test
    void defaultsToTwoConsumersAndAPoolOfTheSameSize() {
        DbWriterConfig config = DbWriterConfig.from(ConfigSource.of(MINIMAL));

        assertThat(config.consumers()).isEqualTo(2);
        assertThat(config.poolSize()).isEqualTo(2);
        assertThat(config.groupId()).isEqualTo("paypipe-db-writer");
        assertThat(config.upsertMethod()).isEqualTo(UpsertMethod.COPY_OPTIMISTIC);
        assertThat(config.kafka().topics().results()).isEqualTo("payment-results");
    }

    @Test
    void poolSizeFollowsTheConsumerCountWhenUnset() {
        DbWriterConfig config = DbWriterConfig.from(with(Map.of("db-writer.consumers", "5")));
        assertThat(config.poolSize()).isEqualTo(5);
    }

    @Test
    void rejectsAPoolSizeThatDiffersFromTheConsumerCountNamingBothKeys() {
        assertThatThrownBy(() -> DbWriterConfig.from(with(Map.of("db-writer.consumers", "2",
                "db-writer.pool-size", "10"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("db-writer.pool-size=10")
                .hasMessageContaining("db-writer.consumers=2");
    }

    @Test
    void rejectsBadValuesNamingTheKeyAndTheValue() {
        assertThatThrownBy(() -> DbWriterConfig.from(with(Map.of("db-writer.consumers", "zero"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("db-writer.consumers='zero'");
        assertThatThrownBy(() -> DbWriterConfig.from(with(Map.of("db.jdbc-url", "jdbc:mysql://x/y"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("db.jdbc-url='jdbc:mysql://x/y'");
        assertThatThrownBy(() -> DbWriterConfig.from(with(Map.of("db-writer.upsert-method", "magic"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("db-writer.upsert-method='magic'");
        assertThatThrownBy(() -> DbWriterConfig.from(with(Map.of("db-writer.retry-backoff-max", "soon"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("db-writer.retry-backoff-max='soon'");
        assertThatThrownBy(() -> DbWriterConfig.from(ConfigSource.of(Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("db.jdbc-url");
    }

    @Test
    void rejectsAMaxBackoffBelowTheInitialOne() {
        assertThatThrownBy(() -> DbWriterConfig.from(with(Map.of("db-writer.retry-backoff-initial", "2s",
                "db-writer.retry-backoff-max", "1s"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("db-writer.retry-backoff-max");
    }

    @Test
    void neverShowsThePassword() {
        DbWriterConfig config = DbWriterConfig.from(with(Map.of("db.jdbc-url",
                "jdbc:postgresql://db/paypipe?user=x&password=url-secret")));

        assertThat(config.toString()).doesNotContain("s3cret-pw").doesNotContain("url-secret")
                .contains("password=<set>");
    }

    @Test
    void readsDurationsAndTheUpsertMethod() {
        DbWriterConfig config = DbWriterConfig.from(with(Map.of("db-writer.retry-backoff-max", "2s",
                "db-writer.upsert-method", "unnest", "db-writer.max-poll-records", "500")));

        assertThat(config.retryBackoffMax()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.upsertMethod()).isEqualTo(UpsertMethod.UNNEST);
        assertThat(config.maxPollRecords()).isEqualTo(500);
    }
}
