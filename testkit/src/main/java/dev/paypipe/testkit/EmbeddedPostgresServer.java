package dev.paypipe.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real PostgreSQL binaries (shipped on Maven Central by zonky) run as a child process. The server
 * can be stopped and started again on the same port and data directory, which is how tests
 * simulate a database outage.
 *
 * <p>Durability is traded for speed ({@code fsync=off}, {@code synchronous_commit=off}): this is a
 * test and demo database, never a production one.
 */
public final class EmbeddedPostgresServer implements PostgresServer {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final Path dataDir;
    private final int port;
    private volatile EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    public static EmbeddedPostgresServer start() {
        try {
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(
                    Files.createTempDirectory("paypipe-pg-"), Ports.free());
            server.startProcess();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    private void startProcess() throws IOException {
        long t0 = System.nanoTime();
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                // never let zonky delete the data on stop: restart() must find it; close() deletes it
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("max_wal_size", "2GB")
                .start();
        log.info("embedded PostgreSQL ready on 127.0.0.1:{} in {} ms", port, (System.nanoTime() - t0) / 1_000_000);
    }

    /** Stops the server process, keeping its data: clients see connection refused. */
    public synchronized void stop() {
        try {
            if (postgres != null) {
                postgres.close();
                postgres = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop embedded PostgreSQL", e);
        }
    }

    /** Starts the server again on the same port and data. */
    public synchronized void restart() {
        if (postgres != null) {
            return;
        }
        try {
            startProcess();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart embedded PostgreSQL", e);
        }
    }

    public int port() {
        return port;
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public String user() {
        return "postgres";
    }

    @Override
    public String password() {
        return "";
    }

    @Override
    public String adminDatabase() {
        return "postgres";
    }

    @Override
    public String describe() {
        return "embedded PostgreSQL on 127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
        EmbeddedKafkaBroker.deleteRecursively(dataDir);
    }
}
