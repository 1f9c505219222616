package dev.paypipe.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Samples {@code pg_stat_activity} every few milliseconds in a background thread and remembers the
 * most db-writer connections ever seen in one database. Survives a database outage (reconnects).
 */
final class ConnectionSampler implements AutoCloseable {
    private static final String SQL = "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?"
            + " AND datname = current_database()";
    private final Supplier<Connection> connect;
    private final AtomicInteger max = new AtomicInteger();
    private final AtomicLong samples = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    ConnectionSampler(Supplier<Connection> connect) {
        this.connect = connect;
        this.thread = new Thread(this::run, "pg-stat-activity-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    int maxSeen() {
        return max.get();
    }

    long samples() {
        return samples.get();
    }

    private void run() {
        while (running) {
            try (Connection c = connect.get(); PreparedStatement ps = c.prepareStatement(SQL)) {
                ps.setString(1, DbWriter.APPLICATION_NAME);
                while (running) {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        max.accumulateAndGet(rs.getInt(1), Math::max);
                        samples.incrementAndGet();
                    }
                    Thread.sleep(5); // sampling period, not a wait for a condition
                }
            } catch (SQLException | RuntimeException e) {
                pause(); // database down: try again shortly
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
