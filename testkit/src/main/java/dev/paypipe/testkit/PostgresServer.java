package dev.paypipe.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A reachable PostgreSQL server for tests and the local stack, wherever it comes from. */
public interface PostgresServer extends AutoCloseable {

    /** JDBC URL of a database on this server (no credentials in the URL). */
    String jdbcUrl(String database);

    String user();

    String password();

    /** The database that always exists and from which new databases are created. */
    String adminDatabase();

    String describe();

    @Override
    void close();

    default Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user(), password());
    }

    /** Creates a fresh, empty database with a unique name: one per test class or demo run. */
    default PostgresDatabase freshDatabase() {
        String name = "paypipe_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = connect(adminDatabase()); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on " + describe() + ": "
                    + e.getMessage(), e);
        }
        return new PostgresDatabase(jdbcUrl(name), user(), password(), name);
    }
}
