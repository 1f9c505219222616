package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paypipe.admin.AdminConfig;
import dev.paypipe.config.ConfigException;
import dev.paypipe.config.ConfigSource;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.persistence.DbWriterConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Secrets come only from config and the environment: with none configured, the gateway key is a start-up error naming
 * its key, the admin endpoints are off, the database password is empty; and no production source holds a literal
 * that looks like a key, token or password.
 */
class SecretsFromConfigTest {
    /** Production sources of the services (testkit and cli-dev are development artifacts with a simulator key). */
    private static final List<String> PRODUCTION_MODULES = List.of("common", "payment-worker", "db-writer", "cli");
    /** A literal assigned to something named like a secret, or a literal shaped like a live or test API key. */
    private static final Pattern SECRET_LITERAL = Pattern.compile(
            "(?i)(password|passwd|secret|api[-_]?key|token)\\w*\\s*=\\s*\"[^\"\\s]{4,}\"" // password = "hunter22"
                    + "|(password|secret|api[-_]?key|token)=[\\w!@#%^+-]{4,}" // ...;password=hunter22 in a URL
                    + "|\"(sk|pk|rk)_(live|test)_\\w+\""); // a key literal

    @Test
    void withNothingConfiguredThereIsNoGatewayKeyNoAdminTokenAndNoDatabasePassword() {
        ConfigSource empty = ConfigSource.of(Map.of());

        assertThatThrownBy(() -> GatewayConfig.from(empty.with(Map.of("gateway.base-url", "http://localhost:1"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gateway.api-key");
        AdminConfig admin = AdminConfig.from(empty);
        assertThat(admin.token()).isNull();
        DbWriterConfig db = DbWriterConfig.from(empty.with(Map.of("db.jdbc-url", "jdbc:postgresql://localhost/x")));
        assertThat(db.password()).isEmpty();
    }

    @Test
    void theScanCatchesLiteralSecretsAndPassesConfigLookups() {
        assertThat(List.of("String password = \"hunter22\";", "url = \"jdbc:postgresql://h/db?password=hunter22\";",
                "key(\"sk_live_4eC39HqLyjWDarjtT1zdp7dc\")", "private static final String API_KEY = \"abcd1234\";"))
                .allMatch(line -> SECRET_LITERAL.matcher(line).find());
        assertThat(List.of("config.string(\"db.password\", \"\")", "config.requiredString(\"gateway.api-key\")",
                "Objects.requireNonNull(apiKey, \"apiKey\");", "+ \", password=\" + Masking.secret(password)"))
                .noneMatch(line -> SECRET_LITERAL.matcher(line).find());
    }

    @Test
    void noProductionSourceHoldsALiteralSecret() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> hits = new ArrayList<>();
        for (String module : PRODUCTION_MODULES) {
            Path main = root.resolve(module).resolve("src/main");
            assertThat(main).as(module).isDirectory();
            try (Stream<Path> files = Files.walk(main)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        if (SECRET_LITERAL.matcher(lines.get(i)).find()) {
                            hits.add(root.relativize(f) + ":" + (i + 1) + " " + lines.get(i).strip());
                        }
                    }
                }
            }
        }
        assertThat(hits).isEmpty();
    }
}
