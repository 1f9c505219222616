package dev.paypipe.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared infrastructure of one JVM (test run or local stack), started on first use and
 * stopped at exit. Where it comes from, in order of preference:
 * <ol>
 *   <li>{@code PAYPIPE_TEST_KAFKA_BOOTSTRAP} / {@code PAYPIPE_TEST_JDBC_URL} when set;</li>
 *   <li>Testcontainers when a Docker engine is reachable and {@code PAYPIPE_TEST_DOCKER} is not
 *       {@code false};</li>
 *   <li>otherwise an in-process KRaft broker and embedded PostgreSQL binaries.</li>
 * </ol>
 */
public final class TestInfra {
    private static final Logger log = LoggerFactory.getLogger(TestInfra.class);
    private static KafkaBroker kafka;
    private static PostgresServer postgres;
    private static Boolean docker;

    private TestInfra() {
    }

    public static synchronized KafkaBroker kafka() {
        if (kafka == null) {
            String external = System.getenv("PAYPIPE_TEST_KAFKA_BOOTSTRAP");
            if (external != null && !external.isBlank()) {
                kafka = new KafkaBroker() {
                    @Override
                    public String bootstrapServers() {
                        return external;
                    }

                    @Override
                    public String describe() {
                        return "external Kafka at " + external + " (PAYPIPE_TEST_KAFKA_BOOTSTRAP)";
                    }

                    @Override
                    public void close() {
                        // not ours to stop
                    }
                };
            } else if (useDocker()) {
                kafka = ContainerInfra.kafka();
            } else {
                kafka = EmbeddedKafkaBroker.start();
            }
            log.info("test Kafka: {}", kafka.describe());
            KafkaBroker started = kafka;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "paypipe-kafka-stop"));
        }
        return kafka;
    }

    public static synchronized PostgresServer postgres() {
        if (postgres == null) {
            String external = System.getenv("PAYPIPE_TEST_JDBC_URL");
            if (external != null && !external.isBlank()) {
                postgres = new ExternalPostgresServer(external,
                        envOr("PAYPIPE_TEST_JDBC_USER", "postgres"), envOr("PAYPIPE_TEST_JDBC_PASSWORD", ""));
            } else if (useDocker()) {
                postgres = ContainerInfra.postgres();
            } else {
                postgres = EmbeddedPostgresServer.start();
            }
            log.info("test PostgreSQL: {}", postgres.describe());
            PostgresServer started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "paypipe-postgres-stop"));
        }
        return postgres;
    }

    private static boolean useDocker() {
        if (docker == null) {
            docker = !"false".equalsIgnoreCase(System.getenv("PAYPIPE_TEST_DOCKER")) && ContainerInfra.dockerAvailable();
            if (!docker) {
                log.info("no Docker engine reachable: using in-process Kafka and embedded PostgreSQL");
            }
        }
        return docker;
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null ? fallback : v;
    }
}
