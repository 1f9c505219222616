package dev.paypipe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@SuppressWarnings("deprecation") // also covers the ad-hoc getters kept for keys not yet declared in a table
class ConfigSourceTest {
    private static final Duration MIN = Duration.ofMillis(1);
    private static final Duration MAX = Duration.ofHours(1);

    @Test
    void mapsKeysToPaypipeEnvironmentVariables() {
        assertThat(ConfigSource.envName("worker.max-in-flight")).isEqualTo("PAYPIPE_WORKER_MAX_IN_FLIGHT");
        assertThat(ConfigSource.envName("kafka.bootstrap-servers")).isEqualTo("PAYPIPE_KAFKA_BOOTSTRAP_SERVERS");
        assertThat(ConfigSource.envName("db.jdbc-url")).isEqualTo("PAYPIPE_DB_JDBC_URL");
    }

    @Test
    void loadsAPropertiesFileAndTrimsItsValues(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("paypipe.properties");
        Files.writeString(file, """
                # comment
                paypipe.test.name = worker-7\u0020\u0020
                paypipe.test.max-in-flight=250
                paypipe.test.timeout=5s
                paypipe.test.enabled=yes
                """, StandardCharsets.ISO_8859_1);

        ConfigSource config = ConfigSource.load(file);

        assertThat(config.string("paypipe.test.name", "x")).isEqualTo("worker-7");
        assertThat(config.intInRange("paypipe.test.max-in-flight", 1, 1, 10_000)).isEqualTo(250);
        assertThat(config.duration("paypipe.test.timeout", Duration.ZERO, MIN, MAX)).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.bool("paypipe.test.enabled", false)).isTrue();
        assertThat(config.string("paypipe.test.absent", "fallback")).isEqualTo("fallback");
    }

    @Test
    void namesTheFileInErrorsAboutItsValues(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "paypipe.test.max-in-flight=lots\n");

        assertThatThrownBy(() -> ConfigSource.load(file).intInRange("paypipe.test.max-in-flight", 1, 1, 10))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("paypipe.test.max-in-flight").hasMessageContaining("'lots'")
                .hasMessageContaining(file.toString());
    }

    @Test
    void refusesAMissingPropertiesFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.properties");

        assertThatThrownBy(() -> ConfigSource.load(missing)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void loadsWithoutAFile() {
        assertThat(ConfigSource.load(null).intInRange("paypipe.test.unset-key", 7, 1, 10)).isEqualTo(7);
    }

    @Test
    void overridesLayerOverTheProperties() {
        ConfigSource base = ConfigSource.of(Map.of("a", "1", "b", "2"));

        ConfigSource merged = base.with(Map.of("b", "3"));

        assertThat(merged.string("a", null)).isEqualTo("1");
        assertThat(merged.string("b", null)).isEqualTo("3");
        assertThat(base.string("b", null)).isEqualTo("2");
    }

    @Test
    void returnsDefaultsForAbsentKeys() {
        ConfigSource empty = ConfigSource.of(Map.of());

        assertThat(empty.intInRange("k", 4, 1, 10)).isEqualTo(4);
        assertThat(empty.doubleInRange("k", 0.5, 0, 1)).isEqualTo(0.5);
        assertThat(empty.bool("k", true)).isTrue();
        assertThat(empty.duration("k", Duration.ofSeconds(2), MIN, MAX)).isEqualTo(Duration.ofSeconds(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ten", "1.5", "", "99999999999"})
    void badIntegerNamesKeyAndValue(String value) {
        ConfigSource config = ConfigSource.of(Map.of("worker.max-in-flight", value));

        assertThatThrownBy(() -> config.intInRange("worker.max-in-flight", 100, 1, 10_000))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid config worker.max-in-flight='" + value
                        + "' from explicit values: expected an integer")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("worker.max-in-flight");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "10001", "-5"})
    void outOfRangeIntegerNamesKeyValueAndBounds(String value) {
        ConfigSource config = ConfigSource.of(Map.of("worker.max-in-flight", value));

        assertThatThrownBy(() -> config.intInRange("worker.max-in-flight", 100, 1, 10_000))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("worker.max-in-flight='" + value + "'")
                .hasMessageContaining("between 1 and 10000");
    }

    @Test
    void acceptsIntegersAtTheBounds() {
        assertThat(ConfigSource.of(Map.of("k", "1")).intInRange("k", 5, 1, 10)).isEqualTo(1);
        assertThat(ConfigSource.of(Map.of("k", "10")).intInRange("k", 5, 1, 10)).isEqualTo(10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"half", "NaN", "1.5", "-0.1"})
    void badOrOutOfRangeDoubleNamesKeyAndValue(String value) {
        ConfigSource config = ConfigSource.of(Map.of("breaker.failure-rate", value));

        assertThatThrownBy(() -> config.doubleInRange("breaker.failure-rate", 0.5, 0, 1))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("breaker.failure-rate").hasMessageContaining("'" + value + "'");
    }

    @ParameterizedTest
    @CsvSource({"true,true", "TRUE,true", "yes,true", "1,true", "false,false", "No,false", "0,false"})
    void readsBooleans(String value, boolean expected) {
        assertThat(ConfigSource.of(Map.of("metrics.enabled", value)).bool("metrics.enabled", !expected))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"maybe", "on", "2", ""})
    void badBooleanNamesKeyAndValue(String value) {
        ConfigSource config = ConfigSource.of(Map.of("metrics.enabled", value));

        assertThatThrownBy(() -> config.bool("metrics.enabled", false))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid config metrics.enabled='" + value + "' from explicit values: expected true or false");
    }

    @ParameterizedTest
    @CsvSource({"250ms,PT0.25S", "5s,PT5S", "2m,PT2M", "1h,PT1H", "PT5S,PT5S", "pt1m30s,PT1M30S", "5S,PT5S", " 10s ,PT10S"})
    void parsesDurations(String value, String expected) {
        assertThat(ConfigSource.parseDuration(value)).isEqualTo(Duration.parse(expected));
        assertThat(ConfigSource.of(Map.of("gateway.timeout", value)).duration("gateway.timeout", Duration.ZERO, MIN, MAX))
                .isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "five seconds", "5d", "1.5s", "ms", "", "PTXS"})
    void badDurationNamesKeyAndValue(String value) {
        ConfigSource config = ConfigSource.of(Map.of("gateway.timeout", value));

        assertThat(ConfigSource.parseDuration(value)).isNull();
        assertThatThrownBy(() -> config.duration("gateway.timeout", Duration.ofSeconds(5), MIN, MAX))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("gateway.timeout='" + value + "'")
                .hasMessageContaining("a duration such as 250ms, 5s, 2m or PT5S");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0ms", "2h", "-5s"})
    void outOfRangeDurationNamesKeyValueAndBounds(String value) {
        ConfigSource config = ConfigSource.of(Map.of("gateway.timeout", value));

        assertThatThrownBy(() -> config.duration("gateway.timeout", Duration.ofSeconds(5), MIN, MAX))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("gateway.timeout='" + value + "'")
                .hasMessageContaining("between 1ms and 1h");
    }

    @Test
    void missingRequiredKeyNamesTheKeyAndTheEnvironmentVariable() {
        ConfigSource config = ConfigSource.of(Map.of("gateway.api-key", "  "));

        assertThatThrownBy(() -> config.requiredString("gateway.api-key"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("missing required config gateway.api-key (set PAYPIPE_GATEWAY_API_KEY or gateway.api-key"
                        + " in the properties file)");
        assertThatThrownBy(() -> ConfigSource.of(Map.of()).requiredString("db.user"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PAYPIPE_DB_USER");
        assertThat(ConfigSource.of(Map.of("db.user", "paypipe")).requiredString("db.user")).isEqualTo("paypipe");
    }
}
