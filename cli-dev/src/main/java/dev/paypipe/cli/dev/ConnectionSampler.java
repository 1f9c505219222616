package dev.paypipe.cli.dev;

import dev.paypipe.persistence.DbWriter;
import dev.paypipe.testkit.PostgresDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples {@code pg_stat_activity} every 20 ms for the db-writer's connections and keeps the maximum, over the
 * whole run and per interval ({@link #takeIntervalMax()}).
 */
public final class ConnectionSampler implements AutoCloseable {
    private final PostgresDatabase db;
    private final AtomicLong max = new AtomicLong();
    private final AtomicLong intervalMax = new AtomicLong();
    private final AtomicLong outages = new AtomicLong();
    private final Thread thread = new Thread(this::run, "demo-connection-sampler");
    private volatile boolean running = true;

    ConnectionSampler(PostgresDatabase db) {
        this.db = db;
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    public long max() {
        return max.get();
    }

    /** The most connections seen since the previous call. */
    long takeIntervalMax() {
        return intervalMax.getAndSet(0);
    }

    /** Samples until closed; reconnects after the database went away (the chaos campaign stops it on purpose). */
    private void run() {
        while (running) {
            try (Connection c = db.connect();
                    PreparedStatement st = c.prepareStatement(
                            "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
                st.setString(1, DbWriter.APPLICATION_NAME);
                while (running) {
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        long now = rs.getLong(1);
                        max.accumulateAndGet(now, Math::max);
                        intervalMax.accumulateAndGet(now, Math::max);
                    }
                    Thread.sleep(20); // sampling period
                }
            } catch (SQLException e) {
                outages.incrementAndGet();
                try {
                    Thread.sleep(500); // the database is away: try again shortly
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Samples that found no database (it was down); the maximum covers the time around them. */
    public long failedSamples() {
        return outages.get();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
