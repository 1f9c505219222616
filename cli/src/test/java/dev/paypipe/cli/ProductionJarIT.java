package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The production {@code paypipe.jar} (built in {@code package}, before this test runs) carries no Kafka broker, no
 * PostgreSQL binaries, no gateway simulator and no test library: those ship in {@code paypipe-dev.jar} only.
 */
class ProductionJarIT {
    private static final Path JAR = Path.of("target", "paypipe.jar");

    /** Path prefixes of what must stay out: the broker (Scala and its Java parts), embedded PostgreSQL, test code. */
    private static final List<String> FORBIDDEN = List.of(
            "kafka/server/", "kafka/network/", "kafka/log/", "kafka/raft/", "kafka/utils/", "scala/",
            "org/apache/kafka/raft/", "org/apache/kafka/controller/",
            "org/apache/kafka/metadata/", "org/apache/kafka/storage/internals/log/",
            "io/zonky/", "org/junit/", "org/opentest4j/", "org/assertj/", "org/awaitility/", "net/jqwik/",
            "org/testcontainers/", "org/mockito/",
            "dev/paypipe/sim/", "dev/paypipe/testkit/", "dev/paypipe/load/", "dev/paypipe/cli/dev/",
            "META-INF/maven/org.junit", "META-INF/maven/org.assertj", "META-INF/maven/org.testcontainers",
            "META-INF/maven/io.zonky", "META-INF/maven/org.apache.kafka/kafka_", "META-INF/maven/net.jqwik");

    @Test
    void carriesNoBrokerNoPostgresNoSimulatorAndNoTestLibrary() throws IOException {
        assertThat(JAR).as("the shaded production jar").exists();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> names = jar.stream().map(ZipEntry::getName).toList();
            List<String> smuggled = names.stream()
                    .filter(ProductionJarIT::belongsElsewhere)
                    .limit(20).toList();
            assertThat(smuggled).as("entries of %s that belong to the dev artifact or to tests", JAR).isEmpty();
            assertThat(names).as("what the production commands need")
                    .contains("dev/paypipe/cli/PaypipeCommand.class", "dev/paypipe/ledger/LedgerTopology.class",
                            "org/apache/kafka/clients/consumer/KafkaConsumer.class", "logback.xml");
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(PaypipeCommand.class.getName());
        }
    }

    @Test
    void theFilterRecognisesWhatTheDevJarCarries() {
        assertThat(List.of("kafka/server/KafkaRaftServer.class", "io/zonky/test/db/postgres/embedded/EmbeddedPostgres.class",
                "postgres-linux-x86_64.txz", "dev/paypipe/sim/GatewaySimulator.class", "org/junit/jupiter/api/Test.class"))
                .allMatch(ProductionJarIT::belongsElsewhere);
        assertThat(List.of("org/apache/kafka/server/authorizer/Authorizer.class", "org/apache/kafka/streams/KafkaStreams.class"))
                .noneMatch(ProductionJarIT::belongsElsewhere);
    }

    private static boolean belongsElsewhere(String name) {
        return FORBIDDEN.stream().anyMatch(name::startsWith) || name.endsWith(".txz");
    }
}
