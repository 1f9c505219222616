package dev.paypipe.testkit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;

/** Testcontainers-backed infrastructure, used when a Docker engine is reachable. */
final class ContainerInfra {
    static final String KAFKA_IMAGE = "apache/kafka:4.1.0";
    static final String POSTGRES_IMAGE = "postgres:17-alpine";

    private ContainerInfra() {
    }

    static boolean dockerAvailable() {
        String host = System.getenv("DOCKER_HOST");
        if ((host == null || host.isBlank()) && !java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))) {
            return false; // no engine configured: skip Testcontainers' probing and its error log
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    static KafkaBroker kafka() {
        KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
        container.start();
        return new KafkaBroker() {
            @Override
            public String bootstrapServers() {
                return container.getBootstrapServers();
            }

            @Override
            public String describe() {
                return "Testcontainers " + KAFKA_IMAGE + " at " + container.getBootstrapServers();
            }

            @Override
            public void close() {
                container.stop();
            }
        };
    }

    static PostgresServer postgres() {
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>(POSTGRES_IMAGE)
                .withCommand("postgres", "-c", "max_connections=200", "-c", "fsync=off");
        container.start();
        ExternalPostgresServer delegate = new ExternalPostgresServer(container.getJdbcUrl(),
                container.getUsername(), container.getPassword());
        return new PostgresServer() {
            @Override
            public String jdbcUrl(String database) {
                return delegate.jdbcUrl(database);
            }

            @Override
            public String user() {
                return delegate.user();
            }

            @Override
            public String password() {
                return delegate.password();
            }

            @Override
            public String adminDatabase() {
                return delegate.adminDatabase();
            }

            @Override
            public String describe() {
                return "Testcontainers " + POSTGRES_IMAGE + " at " + delegate.jdbcUrl("");
            }

            @Override
            public void close() {
                container.stop();
            }
        };
    }
}
