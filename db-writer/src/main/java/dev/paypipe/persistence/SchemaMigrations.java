package dev.paypipe.persistence;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;

/** Applies the Flyway migrations in {@code db/migration} and reports the resulting schema version. */
public final class SchemaMigrations {
    private SchemaMigrations() {
    }

    /** What a migration run did. */
    public record Outcome(String schemaVersion, int applied) {
    }

    /**
     * Migrates over Flyway's own short-lived connections, all closed before the pool opens, so the
     * migration never adds to the pool's connections.
     *
     * @throws IllegalStateException naming the URL (never the password) when migration fails
     */
    public static Outcome migrate(DbWriterConfig config) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(config.jdbcUrl());
        dataSource.setUser(config.user());
        dataSource.setPassword(config.password());
        dataSource.setApplicationName(DbWriter.APPLICATION_NAME);
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(dataSource)
                    .schemas(config.schema())
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            String version = result.targetSchemaVersion != null ? result.targetSchemaVersion
                    : result.initialSchemaVersion;
            return new Outcome(version, result.migrationsExecuted);
        } catch (FlywayException e) {
            throw new IllegalStateException("cannot migrate the db-writer schema '" + config.schema() + "' at "
                    + DbWriterConfig.maskUrl(config.jdbcUrl()) + " as user " + config.user()
                    + ": " + e.getMessage() + " (check db.jdbc-url, db.user, db.password and that PostgreSQL"
                    + " is reachable)", e);
        }
    }
}
