package dev.paypipe.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.kafka.TopicLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The top-level {@code docker-compose.yml} and {@code Dockerfile} against the code, without a Docker engine: the
 * compose file is parsed (anchors and merge keys resolved as Compose resolves them) and checked by
 * {@link ComposeChecks}; the Dockerfile's targets are checked to run the jar whose command model the check used.
 */
class ComposeFileTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static Map<String, Object> compose;

    @BeforeAll
    static void parse() throws IOException {
        compose = load(Files.readString(ROOT.resolve("docker-compose.yml")));
    }

    @Test
    void everyServiceAgreesWithTheCliTheConfigKeysAndTheAdminEndpoints() {
        assertThat(ComposeChecks.problems(compose)).isEmpty();
    }

    @Test
    void theStackRunsWhatTheIssueAsksFor() {
        Map<String, String> commands = new LinkedHashMap<>();
        ComposeChecks.map(compose.get("services")).forEach((name, service) -> {
            Object command = ComposeChecks.map(service).get("command");
            if (command instanceof List<?> argv && !argv.isEmpty() && ComposeChecks.map(service).containsKey("build")) {
                commands.put(name, String.valueOf(argv.get(0)));
            }
        });
        assertThat(commands.values()).containsExactlyInAnyOrder("gateway-sim", "ledger", "worker", "worker",
                "db-writer", "load");
        assertThat(images()).anySatisfy(image -> assertThat(image).startsWith("apache/kafka:"))
                .anySatisfy(image -> assertThat(image).startsWith("postgres:"));
    }

    @Test
    void theInitStepCreatesTheRequestsTopicWhosePartitionCountTheLedgerFollows() {
        Map<String, Object> init = ComposeChecks.map(ComposeChecks.map(compose.get("services")).get("kafka-init"));
        List<String> argv = ((List<?>) init.get("command")).stream().map(String::valueOf).toList();
        assertThat(argv).contains("--create", "--if-not-exists");
        assertThat(argv.get(argv.indexOf("--topic") + 1)).isEqualTo(TopicLayout.defaults().requests());
        assertThat(Integer.parseInt(argv.get(argv.indexOf("--partitions") + 1))).isPositive();
        assertThat(ComposeChecks.map(ComposeChecks.map(init.get("depends_on")).get("kafka")).get("condition"))
                .isEqualTo("service_healthy");
        Map<String, Object> ledger = ComposeChecks.map(ComposeChecks.map(compose.get("services")).get("ledger"));
        assertThat(ComposeChecks.map(ComposeChecks.map(ledger.get("depends_on")).get("kafka-init")).get("condition"))
                .as("payment-requests must exist before the ledger starts")
                .isEqualTo("service_completed_successfully");
        assertThat(ComposeChecks.map(ComposeChecks.map(ComposeChecks.map(compose.get("services")).get("kafka"))
                .get("environment")))
                .as("a consumer must not auto-create a pipeline topic with another partition count")
                .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
    }

    @Test
    void theKafkaImageIsTheVersionTheClientsAreBuiltWith() throws IOException {
        Matcher version = Pattern.compile("<kafka\\.version>([^<]+)</kafka\\.version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(version.find()).isTrue();
        assertThat(images()).filteredOn(image -> image.startsWith("apache/kafka:")).isNotEmpty()
                .allSatisfy(image -> assertThat(image).isEqualTo("apache/kafka:" + version.group(1)));
    }

    @Test
    void eachBuildTargetIsADockerfileStageThatRunsItsJar() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        Map<String, String> jars = Map.of("paypipe", "cli/target/paypipe.jar", "paypipe-dev",
                "cli-dev/target/paypipe-dev.jar");
        assertThat(jars.keySet()).isEqualTo(ComposeChecks.TARGETS.keySet());
        jars.forEach((target, jar) -> {
            String stage = stage(dockerfile, target);
            String installed = "/opt/paypipe/" + Path.of(jar).getFileName();
            assertThat(stage).as(target).contains("COPY --from=build /src/" + jar + " " + installed)
                    .contains("-jar " + installed).contains("ENTRYPOINT [\"" + target + "\"]");
        });
        assertThat(dockerfile).as("the production image is the default (last) target")
                .containsPattern("(?s)FROM \\S+ AS paypipe\\n(?!.*\\nFROM ).*$");
    }

    @Test
    void theCheckFindsAnUnknownOptionAnUndeclaredVariableABadValueAndAWrongProbe() {
        Map<String, Object> broken = load("""
                services:
                  worker:
                    build: {context: ., target: paypipe}
                    command: ["worker", "--max-inflight", "10"]
                  ledger:
                    build: {context: ., target: paypipe}
                    command: ["ledger"]
                    environment:
                      PAYPIPE_LEDGER_RETENTON: 7d
                      PAYPIPE_LEDGER_STREAM_THREADS: lots
                      PAYPIPE_GATEWAY_API_KEY: sk_test_paypipe
                    healthcheck: {test: ["CMD", "curl", "http://127.0.0.1:9999/health/ready"]}
                    depends_on: [kafka]
                  sim:
                    build: {context: ., target: paypipe-dev}
                    command: ["gateway-simulator"]
                """);

        List<String> problems = ComposeChecks.problems(broken);

        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("worker: command").contains("--max-inflight"))
                .anySatisfy(p -> assertThat(p).startsWith("ledger: PAYPIPE_LEDGER_RETENTON is no declared config key"))
                .anySatisfy(p -> assertThat(p).startsWith("ledger: bad configuration").contains("ledger.stream-threads"))
                .anySatisfy(p -> assertThat(p).startsWith("ledger: PAYPIPE_GATEWAY_API_KEY").contains("not by ledger"))
                .anySatisfy(p -> assertThat(p).startsWith("ledger: healthcheck must probe http://127.0.0.1:8081"))
                .anySatisfy(p -> assertThat(p).isEqualTo("ledger: depends_on names no service: kafka"))
                .anySatisfy(p -> assertThat(p).startsWith("sim: command").contains("gateway-simulator"));
    }

    private static List<String> images() {
        List<String> images = new ArrayList<>();
        ComposeChecks.map(compose.get("services")).values().forEach(service -> {
            Object image = ComposeChecks.map(service).get("image");
            if (image != null) {
                images.add(String.valueOf(image));
            }
        });
        return images;
    }

    /** The lines of one {@code FROM … AS name} stage, up to the next {@code FROM}. */
    private static String stage(String dockerfile, String name) {
        Matcher m = Pattern.compile("(?ms)^FROM \\S+ AS " + Pattern.quote(name) + "\\n(.*?)(?=^FROM |\\z)")
                .matcher(dockerfile);
        assertThat(m.find()).as("Dockerfile stage " + name).isTrue();
        return m.group(1);
    }

    private static Map<String, Object> load(String yaml) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    }
}
