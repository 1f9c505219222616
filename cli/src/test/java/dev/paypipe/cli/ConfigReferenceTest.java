package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.config.ConfigKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The checked-in {@code docs/configuration.md} is what the declared tables generate. After adding or changing a key:
 * {@code ./paypipe config --reference > docs/configuration.md}, or run this test with
 * {@code -Dpaypipe.config.regenerate=true}.
 */
class ConfigReferenceTest {
    /** Tests run in the cli module's directory; the docs are beside it. */
    private static final Path CHECKED_IN = Path.of("..").resolve(ConfigReference.PATH);

    @Test
    void theCheckedInReferenceIsWhatTheDeclaredTablesGenerate() throws IOException {
        String generated = ConfigReference.markdown();
        if (Boolean.getBoolean("paypipe.config.regenerate")) {
            Files.writeString(CHECKED_IN, generated, StandardCharsets.UTF_8);
        }
        String checkedIn = Files.exists(CHECKED_IN) ? Files.readString(CHECKED_IN, StandardCharsets.UTF_8) : "";

        assertThat(checkedIn)
                .as(ConfigReference.PATH + " differs from the declared config tables; regenerate it with `"
                        + ConfigReference.REGENERATE + "` (or run ConfigReferenceTest with"
                        + " -Dpaypipe.config.regenerate=true) and commit it")
                .isEqualTo(generated);
    }

    @Test
    void everyDeclaredKeyHasADocAnEnvironmentVariableAndACommandThatReadsIt() {
        assertThat(PaypipeConfigKeys.all()).hasSizeGreaterThan(60);
        for (ConfigKey<?> key : PaypipeConfigKeys.all()) {
            assertThat(key.doc()).as(key.name()).isNotBlank();
            assertThat(key.envName()).as(key.name()).startsWith("PAYPIPE_").doesNotContain(".", "-");
            assertThat(PaypipeConfigKeys.readBy(key)).as("commands reading " + key.name()).isNotEmpty();
            assertThat(PaypipeConfigKeys.knowsEnvironmentVariable(key.envName())).isTrue();
        }
    }

    @Test
    void theReferenceListsEachKeyWithItsTypeDefaultRangeEnvironmentVariableAndCommands() {
        String md = ConfigReference.markdown();

        assertThat(md).contains("| `worker.max-in-flight` | int | `1000` | an integer between 1 and 100000 | "
                + "`PAYPIPE_WORKER_MAX_IN_FLIGHT` | reconcile, worker | ");
        assertThat(md).contains("| `gateway.api-key` | password | (required) |");
        assertThat(md).contains("| `db-writer.pool-size` | int | `same as db-writer.consumers` |");
        assertThat(md).contains("| `kafka.client.*` | pass-through |").contains("`PAYPIPE_KAFKA_CLIENT_*`");
        assertThat(md).contains("`PAYPIPE_LOG_LEVEL`");
        assertThat(md).as("machine-independent").doesNotContain(System.getProperty("java.io.tmpdir") + "/paypipe");
    }

    @Test
    void operatorsAndServicesKnowTheVariablesOfEveryDeclaredComponent() {
        assertThat(PaypipeConfigKeys.knowsEnvironmentVariable("PAYPIPE_KAFKA_CLIENT_SECURITY_PROTOCOL")).isTrue();
        assertThat(PaypipeConfigKeys.knowsEnvironmentVariable("PAYPIPE_METRICS_TAG_ENV")).isTrue();
        assertThat(PaypipeConfigKeys.knowsEnvironmentVariable("PAYPIPE_LOG_LEVEL")).isTrue();
        assertThat(PaypipeConfigKeys.knowsEnvironmentVariable("PAYPIPE_WORKER_MAX_INFLIGHT")).isFalse();
        assertThat(PaypipeConfigKeys.readBy(PaypipeConfigKeys.catalog().key("ledger.url").orElseThrow()))
                .containsExactly("status-of");
        assertThat(PaypipeConfigKeys.readBy(PaypipeConfigKeys.catalog().key("kafka.bootstrap-servers").orElseThrow()))
                .contains("worker", "ledger", "db-writer", "reconcile", "pause", "status", "dlq");
    }
}
