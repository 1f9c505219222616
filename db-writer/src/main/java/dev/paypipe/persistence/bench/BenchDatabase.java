package dev.paypipe.persistence.bench;

import dev.paypipe.persistence.DbWriterConfig;
import dev.paypipe.persistence.ResultColumns;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The bench's own database chores: plain connections outside the db-writer's pool, emptying, checkpoints. */
final class BenchDatabase {
    /** Longest any bench phase may take before it is reported as stuck. */
    static final Duration DEADLINE = Duration.ofMinutes(10);
    private static final Logger log = LoggerFactory.getLogger(BenchDatabase.class);

    private BenchDatabase() {
    }

    static Connection connect(DbWriterConfig config, String applicationName) throws SQLException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(config.jdbcUrl());
        ds.setUser(config.user());
        ds.setPassword(config.password());
        ds.setApplicationName(applicationName);
        ds.setCurrentSchema(config.schema());
        Connection c = ds.getConnection();
        c.setAutoCommit(false);
        return c;
    }

    static void truncate(DbWriterConfig config) {
        try (Connection c = connect(config, "paypipe-bench"); Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + ResultColumns.TABLE);
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the bench table in " + config.schema() + ": " + e, e);
        }
    }

    /**
     * Flushes dirty pages before a timed phase, so neither phase pays for a checkpoint the other
     * caused. Needs superuser or pg_checkpoint; without them the phases just run as they are.
     */
    static void checkpoint(DbWriterConfig config) {
        try (Connection c = connect(config.withSchema("public"), "paypipe-bench"); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("CHECKPOINT");
        } catch (SQLException e) {
            log.info("bench_checkpoint_skipped: {}", e.getMessage());
        }
    }

    static void dropSchemas(DbWriterConfig config, List<String> schemas) {
        try (Connection c = connect(config.withSchema("public"), "paypipe-bench"); Statement s = c.createStatement()) {
            for (String schema : schemas) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
            c.commit();
        } catch (SQLException e) {
            log.warn("bench_cleanup_failed schemas={}: {}", schemas, e.toString());
        }
    }
}
