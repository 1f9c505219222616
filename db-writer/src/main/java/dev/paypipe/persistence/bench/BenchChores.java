package dev.paypipe.persistence.bench;

import dev.paypipe.persistence.DbWriterConfig;
import dev.paypipe.persistence.ResultColumns;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The bench's own chores: plain connections outside the db-writer's pool, emptying, settling between phases. */
final class BenchChores {
    /** Longest any bench phase may take before it is reported as stuck. */
    static final Duration DEADLINE = Duration.ofMinutes(10);
    private static final Duration JIT_QUIET = Duration.ofMillis(250);
    private static final Duration JIT_QUIET_MAX = Duration.ofSeconds(3);
    private static final Logger log = LoggerFactory.getLogger(BenchChores.class);

    private BenchChores() {
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
     * Settles the debts of what ran before a timed phase, so that no phase pays for what another left
     * behind: PostgreSQL's dirty pages ({@code CHECKPOINT}; needs superuser or pg_checkpoint, skipped
     * without), this JVM's garbage (a full GC) and its JIT queue (waits, at most {@link #JIT_QUIET_MAX},
     * until no compilation has finished for {@link #JIT_QUIET}: set-up code such as Flyway's is compiled
     * while it runs and would otherwise compete with the measured code for the cores).
     */
    static void settle(DbWriterConfig config) {
        checkpoint(config);
        System.gc();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long giveUp = System.nanoTime() + JIT_QUIET_MAX.toNanos();
        long compiled = jit.getTotalCompilationTime();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < JIT_QUIET.toNanos() && System.nanoTime() < giveUp) {
            LockSupport.parkNanos(JIT_QUIET.toNanos() / 5);
            long now = jit.getTotalCompilationTime();
            if (now != compiled) {
                compiled = now;
                quietSince = System.nanoTime();
            }
        }
    }

    private static void checkpoint(DbWriterConfig config) {
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
