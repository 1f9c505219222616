package dev.paypipe.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** One database on a {@link PostgresServer}: what a db-writer needs to connect. */
public record PostgresDatabase(String jdbcUrl, String user, String password, String name) {

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    @Override
    public String toString() {
        return "PostgresDatabase[" + jdbcUrl + ", user=" + user + "]";
    }
}
