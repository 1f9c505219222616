package dev.paypipe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTableTest {
    enum Mode { FAST, SAFE_MODE }

    private final ConfigTable table = new ConfigTable("shop", "A test component.");
    private final ConfigKey<Integer> threads = table.key("shop.threads").integer(4).between(1, 64).doc("Threads.");
    private final ConfigKey<Duration> timeout = table.key("shop.timeout").duration(Duration.ofSeconds(5))
            .between(Duration.ofMillis(10), Duration.ofMinutes(1)).doc("Timeout.");
    private final ConfigKey<String> apiKey = table.key("shop.api-key").password().required().doc("Secret.");
    private final ConfigKey<String> token = table.key("shop.token").password()
            .check("at least 16 characters", t -> t.length() >= 16).doc("Token.");
    private final ConfigKey<Mode> mode = table.key("shop.mode").oneOf(Mode.class, Mode.FAST).doc("Mode.");
    private final ConfigKey<Boolean> enabled = table.key("shop.enabled").bool(true).doc("On.");
    private final ConfigKey<Double> rate = table.key("shop.rate").decimal(0.5).between(0.0, 1.0).doc("Rate.");
    private final ConfigKey<List<Duration>> tiers = table.key("shop.tiers")
            .durations(List.of(Duration.ofSeconds(1), Duration.ofSeconds(5))).doc("Tiers.");
    private final ConfigKey<Integer> pool = table.key("shop.pool").integer(null).between(1, 64)
            .defaultText("same as shop.threads").doc("Pool.");
    private final ConfigKey<String> url = table.key("shop.url").string("jdbc:postgresql://db/shop").doc("URL.");
    private final ConfigTable.PassThrough client = table.passThrough("shop.client.", "shop.client.a=b", "Passed on.");
    private final ConfigCatalog catalog = new ConfigCatalog(List.of(table), Set.of("PAYPIPE_LOG_LEVEL"),
            List.of("PAYPIPE_TEST_"));

    @Test
    void eachKeyKnowsItsTypeDefaultRulesAndEnvironmentVariable() {
        assertThat(threads.envName()).isEqualTo("PAYPIPE_SHOP_THREADS");
        assertThat(apiKey.envName()).isEqualTo("PAYPIPE_SHOP_API_KEY");
        assertThat(threads.type().name()).isEqualTo("int");
        assertThat(threads.defaultText()).isEqualTo("4");
        assertThat(threads.validValues()).isEqualTo("an integer between 1 and 64");
        assertThat(timeout.defaultText()).isEqualTo("5s");
        assertThat(timeout.validValues()).isEqualTo("a duration between 10ms and 1m");
        assertThat(apiKey.defaultText()).isEqualTo("(required)");
        assertThat(token.defaultText()).isEqualTo("(none)");
        assertThat(mode.defaultText()).isEqualTo("fast");
        assertThat(mode.validValues()).isEqualTo("one of fast, safe_mode");
        assertThat(tiers.defaultText()).isEqualTo("1s,5s");
        assertThat(rate.defaultText()).isEqualTo("0.5");
        assertThat(pool.defaultText()).isEqualTo("same as shop.threads");
        assertThat(table.keys()).extracting(ConfigKey::name).startsWith("shop.threads", "shop.timeout");
        assertThat(client.envPrefix()).isEqualTo("PAYPIPE_SHOP_CLIENT_");
    }

    @Test
    void readsTypedValuesOrTheirDefaults() {
        ConfigSource source = ConfigSource.of(Map.of("shop.threads", "8", "shop.timeout", "250ms", "shop.mode",
                "safe-mode", "shop.enabled", "no", "shop.tiers", "1s, 30s,2m", "shop.api-key", "k"));

        assertThat(source.get(threads)).isEqualTo(8);
        assertThat(source.get(timeout)).isEqualTo(Duration.ofMillis(250));
        assertThat(source.get(mode)).isEqualTo(Mode.SAFE_MODE);
        assertThat(source.get(enabled)).isFalse();
        assertThat(source.get(tiers)).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(2));
        assertThat(source.get(rate)).isEqualTo(0.5);
        assertThat(source.get(token)).isNull();
        assertThat(source.get(pool, 8)).as("derived default").isEqualTo(8);
    }

    @Test
    void theEnvironmentWinsOverTheFileAndSaysSo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("shop.properties");
        Files.writeString(file, "shop.threads=8\nshop.timeout=2s\n");
        ConfigSource source = ConfigSource.load(Map.of("PAYPIPE_SHOP_THREADS", " 16 "), file);

        assertThat(source.get(threads)).isEqualTo(16);
        assertThat(source.get(timeout)).isEqualTo(Duration.ofSeconds(2));
        assertThat(source.setBy("shop.threads")).hasValue("environment variable PAYPIPE_SHOP_THREADS");
        assertThat(source.setBy("shop.timeout")).hasValue("properties file " + file);
        assertThat(source.setBy("shop.rate")).isEmpty();
        assertThatThrownBy(() -> ConfigSource.load(Map.of("PAYPIPE_SHOP_THREADS", "99"), file).get(threads))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid config shop.threads='99' from environment variable PAYPIPE_SHOP_THREADS: "
                        + "expected an integer between 1 and 64");
    }

    @Test
    void aBadValueNamesTheKeyTheValueAndTheRule() {
        assertThatThrownBy(() -> ConfigSource.of(Map.of("shop.mode", "slow")).get(mode))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid config shop.mode='slow' from explicit values: expected one of fast, safe_mode")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("shop.mode");
        assertThatThrownBy(() -> ConfigSource.of(Map.of("shop.tiers", "1s,soon")).get(tiers))
                .hasMessageContaining("shop.tiers='1s,soon'").hasMessageContaining("comma-separated list of durations");
        assertThatThrownBy(() -> ConfigSource.of(Map.of("shop.rate", "NaN")).get(rate)).hasMessageContaining("a number");
        assertThatThrownBy(() -> ConfigSource.of(Map.of()).get(apiKey))
                .hasMessage("missing required config shop.api-key (set PAYPIPE_SHOP_API_KEY or shop.api-key in the"
                        + " properties file)");
    }

    @Test
    void aSecretIsNeverEchoedNotEvenWhenItIsWrong() {
        assertThatThrownBy(() -> ConfigSource.of(Map.of("shop.token", "tok_short_secrt")).get(token))
                .hasMessage("invalid config shop.token (15 characters) from explicit values: expected at least 16 characters")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("tok_short_secrt"));
        assertThatThrownBy(() -> token.check("tiny-secret")).hasMessage(
                "invalid config shop.token (11 characters): expected at least 16 characters");
        assertThat(apiKey.show("sk_live_123")).isEqualTo("<set>");
        assertThat(apiKey.show("")).isEqualTo("<unset>");
        assertThat(url.show("jdbc:postgresql://db/shop?user=u&password=pw1;x=y")).isEqualTo(
                "jdbc:postgresql://db/shop?user=u&password=****;x=y");
        assertThatThrownBy(() -> ConfigSource.of(Map.of("shop.threads", "x?password=pw2")).get(threads))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pw2"));
        assertThat(client.show("shop.client.ssl.key.password", "pw")).isEqualTo("<set>");
        assertThat(client.show("shop.client.sasl.jaas.config", "x password=\"pw\"")).isEqualTo("<set>");
        assertThat(client.show("shop.client.security.protocol", "SSL")).isEqualTo("SSL");
    }

    @Test
    void valuesBuiltInCodeMeetTheSameRules() {
        assertThat(threads.check(64)).isEqualTo(64);
        assertThatThrownBy(() -> threads.check(0)).isInstanceOf(ConfigException.class)
                .hasMessage("invalid config shop.threads='0': expected an integer between 1 and 64");
        assertThatThrownBy(() -> timeout.check(Duration.ofMinutes(2))).hasMessageContaining("shop.timeout='2m'");
    }

    @Test
    void aKeyDeclaredTwiceIsRefused() {
        assertThatThrownBy(() -> table.key("shop.threads").integer(1).doc("Again."))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("shop.threads");
    }

    @Test
    void reportsUnknownPropertiesAndVariablesWithTheClosestKey() {
        ConfigSource source = ConfigSource.load(Map.of("PAYPIPE_SHOP_THREAD", "1", "PAYPIPE_SHOP_CLIENT_ACKS", "all",
                "PAYPIPE_LOG_LEVEL", "debug", "PAYPIPE_TEST_KAFKA", "x", "PAYPIPE_SOMETHING_ELSE_ENTIRELY", "x",
                "HOME", "/root"), null).with(Map.of("shop.timout", "1s", "shop.client.linger.ms", "5", "shop.rate", "1"));

        assertThat(catalog.unknown(source)).containsExactly(
                new ConfigCatalog.Unknown("shop.timout", "explicit values", "shop.timeout"),
                new ConfigCatalog.Unknown("PAYPIPE_SHOP_THREAD", "environment",
                        "PAYPIPE_SHOP_THREADS (shop.threads)"),
                new ConfigCatalog.Unknown("PAYPIPE_SOMETHING_ELSE_ENTIRELY", "environment", null));
    }

    @Test
    void theEffectiveConfigurationShowsEachValueWithItsSourceSecretsMasked() {
        ConfigSource source = ConfigSource.load(Map.of("PAYPIPE_SHOP_API_KEY", "sk_live_1",
                "PAYPIPE_SHOP_CLIENT_SSL_KEY_PASSWORD", "pw"), null).with(Map.of("shop.threads", "8"));

        assertThat(catalog.effective(source)).contains(
                new ConfigCatalog.Effective("shop.threads", "8", "explicit values"),
                new ConfigCatalog.Effective("shop.timeout", "5s", "default"),
                new ConfigCatalog.Effective("shop.api-key", "<set>", "environment variable PAYPIPE_SHOP_API_KEY"),
                new ConfigCatalog.Effective("shop.client.ssl.key.password", "<set>",
                        "environment variable PAYPIPE_SHOP_CLIENT_SSL_KEY_PASSWORD"));
    }

    @Test
    void editDistanceFindsTyposOnly() {
        assertThat(ConfigCatalog.editDistance("kitten", "sitting")).isEqualTo(3);
        assertThat(ConfigCatalog.editDistance("", "abc")).isEqualTo(3);
        assertThat(ConfigCatalog.closest("worker.max-inflight", List.of("worker.max-in-flight", "worker.group-id")))
                .isEqualTo("worker.max-in-flight");
        assertThat(ConfigCatalog.closest("zzz", List.of("worker.max-in-flight"))).isNull();
    }

    @Test
    void formatsDurationsAsTheyAreWritten() {
        assertThat(ConfigType.formatDuration(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(ConfigType.formatDuration(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(ConfigType.formatDuration(Duration.ofDays(7))).isEqualTo("168h");
        assertThat(ConfigSource.parseDuration(ConfigType.formatDuration(Duration.ofDays(7)))).isEqualTo(Duration.ofDays(7));
    }
}
