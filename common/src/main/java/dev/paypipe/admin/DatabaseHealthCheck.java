package dev.paypipe.admin;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Ready when a connection from {@code dataSource} passes {@link Connection#isValid(int)}. With a
 * pool sized to the consumers, a busy pool makes this wait up to the pool's connection timeout:
 * that is reported as down ("pool exhausted"), which is what readiness should say then.
 */
public final class DatabaseHealthCheck implements HealthCheck {
    private final DataSource dataSource;
    private final Duration timeout;

    public DatabaseHealthCheck(DataSource dataSource, Duration timeout) {
        this.dataSource = dataSource;
        this.timeout = timeout;
    }

    @Override
    public Result check() {
        try (Connection c = dataSource.getConnection()) {
            int seconds = (int) Math.max(1, timeout.toSeconds());
            return c.isValid(seconds) ? Result.up("database connection valid")
                    : Result.down("database connection not valid within " + seconds + " s");
        } catch (SQLException e) {
            return Result.down("cannot get a database connection: " + e.getMessage() + " (SQLState " + e.getSQLState()
                    + ")");
        }
    }
}
