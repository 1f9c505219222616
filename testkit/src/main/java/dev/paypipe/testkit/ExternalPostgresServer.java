package dev.paypipe.testkit;

import java.net.URI;

/**
 * A PostgreSQL server given by {@code PAYPIPE_TEST_JDBC_URL} (plus {@code PAYPIPE_TEST_JDBC_USER} and
 * {@code PAYPIPE_TEST_JDBC_PASSWORD}); the user must be allowed to create databases.
 */
final class ExternalPostgresServer implements PostgresServer {
    private final String base;
    private final String adminDatabase;
    private final String user;
    private final String password;

    ExternalPostgresServer(String jdbcUrl, String user, String password) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("PAYPIPE_TEST_JDBC_URL must start with jdbc:postgresql://, was "
                    + jdbcUrl);
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String path = uri.getPath() == null || uri.getPath().length() <= 1 ? "/postgres" : uri.getPath();
        this.base = "jdbc:postgresql://" + uri.getAuthority() + "/";
        this.adminDatabase = path.substring(1);
        this.user = user;
        this.password = password;
    }

    @Override
    public String jdbcUrl(String database) {
        return base + database;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public String adminDatabase() {
        return adminDatabase;
    }

    @Override
    public String describe() {
        return "external PostgreSQL at " + base + " (PAYPIPE_TEST_JDBC_URL)";
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
