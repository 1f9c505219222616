package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.config.ConfigSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {
    private static final String API_KEY = "sk_live_gateway_secret_1";
    private static final String DB_PASSWORD = "db-pass-never-shown";
    private static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";
    private static final String SSL_PASSWORD = "keystore-pass-secret";
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"jaas-pw\";";
    private static final String URL_PASSWORD = "url-password-secret";

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        Path file = dir.resolve("paypipe.properties");
        Files.writeString(file, content);
        return file;
    }

    private static String print(ConfigSource source, int expectedExit) {
        StringWriter out = new StringWriter();
        assertThat(ConfigCommand.print(source, new PrintWriter(out))).isEqualTo(expectedExit);
        return out.toString();
    }

    @Test
    void printsEveryKeyWithItsSourceAndNeverASecret() throws IOException {
        Path file = file("gateway.api-key=" + API_KEY + "\n"
                + "db.password=" + DB_PASSWORD + "\n"
                + "admin.token=" + ADMIN_TOKEN + "\n"
                + "db.jdbc-url=jdbc:postgresql://db:5432/paypipe?password=" + URL_PASSWORD + "\n"
                + "kafka.client.ssl.keystore.password=" + SSL_PASSWORD + "\n"
                + "kafka.client.sasl.jaas.config=" + JAAS + "\n"
                + "kafka.client.security.protocol=SASL_SSL\n"
                + "worker.max-in-flight=250\n");
        ConfigSource source = ConfigSource.load(Map.of("PAYPIPE_WORKER_MAX_IN_FLIGHT", "300",
                "PAYPIPE_DB_PASSWORD", DB_PASSWORD + "-env"), file);

        String out = print(source, 0);

        assertThat(out).doesNotContain(API_KEY, DB_PASSWORD, ADMIN_TOKEN, SSL_PASSWORD, "jaas-pw", URL_PASSWORD);
        assertThat(out).containsPattern("gateway.api-key +=  ?<set> +\\(properties file " + file + "\\)")
                .containsPattern("db.password +=  ?<set> +\\(environment variable PAYPIPE_DB_PASSWORD\\)")
                .containsPattern("admin.token +=  ?<set> ")
                .containsPattern("kafka.client.ssl.keystore.password += <set> ")
                .containsPattern("kafka.client.sasl.jaas.config += <set> ")
                .containsPattern("kafka.client.security.protocol += SASL_SSL ")
                .contains("password=****")
                .containsPattern("worker.max-in-flight += 300 +\\(environment variable PAYPIPE_WORKER_MAX_IN_FLIGHT\\)")
                .containsPattern("worker.max-poll-records += 1000 +\\(default\\)")
                .containsPattern("db-writer.pool-size += same as db-writer.consumers +\\(default\\)");
        assertThat(out.lines().filter(l -> !l.startsWith("#")).count()).as("one line per key and pass-through value")
                .isEqualTo(PaypipeConfigKeys.all().size() + 3);
    }

    @Test
    void flagsAnInvalidValueAndAnUnknownKeyAndExitsTwo() throws IOException {
        ConfigSource source = ConfigSource.load(Map.of("PAYPIPE_WORKER_MAX_INFLIGHT", "10"),
                file("worker.max-in-flight=lots\ngateway.api-key=short\nadmin.token=short-token\ndb-writer.consumer=4\n"));

        String out = print(source, 2);

        assertThat(out).contains("INVALID: invalid config worker.max-in-flight='lots'")
                .contains("INVALID: invalid config admin.token (11 characters)")
                .doesNotContain("short-token")
                .contains("# unknown, ignored: db-writer.consumer (properties file").contains("did you mean db-writer.consumers?")
                .contains("# unknown, ignored: PAYPIPE_WORKER_MAX_INFLIGHT (environment); did you mean "
                        + "PAYPIPE_WORKER_MAX_IN_FLIGHT (worker.max-in-flight)?");
    }

    @Test
    void theCommandLinePrintsTheFileAndTheReference() throws IOException {
        Path file = file("gateway.api-key=" + API_KEY + "\nledger.http-port=9000\n");
        StringWriter out = new StringWriter();

        int exit = PaypipeCommand.commandLine().setOut(new PrintWriter(out))
                .execute("config", "--print", "--config", file.toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).doesNotContain(API_KEY).containsPattern("ledger.http-port += 9000 +\\(properties file");

        StringWriter reference = new StringWriter();
        assertThat(PaypipeCommand.commandLine().setOut(new PrintWriter(reference)).execute("config", "--reference"))
                .isZero();
        assertThat(reference.toString()).isEqualTo(ConfigReference.markdown());
    }

    @Test
    void eachUnknownNameIsOneWarnLineWithTheClosestKeyAndNeverTheValue() throws Exception {
        ConfigSource source = ConfigSource.load(Map.of("PAYPIPE_GATEWAY_APIKEY", "sk_live_typo_secret",
                "PAYPIPE_KAFKA_CLIENT_SASL_JAAS_CONFIG", "x", "PAYPIPE_LOG_LEVEL", "debug", "PAYPIPE_TEST_JDBC_URL", "x"),
                file("db.jdbc-url=jdbc:postgresql://db/p\nmetrics.tag.env=prod\nworkr.group-id=g\n"));

        String lines = ProductionLogs.capture(log -> ConfigOption.warnUnknown(source, log));

        assertThat(lines.lines()).hasSize(2);
        assertThat(lines).contains("\"event\":\"config_key_unknown\"").contains("\"key\":\"workr.group-id\"")
                .contains("\"closest\":\"worker.group-id\"").contains("\"key\":\"PAYPIPE_GATEWAY_APIKEY\"")
                .contains("PAYPIPE_GATEWAY_API_KEY (gateway.api-key)").contains("\"level\":\"WARN\"")
                .doesNotContain("sk_live_typo_secret");
    }
}
