package dev.paypipe.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Writes collapsed batches to {@code payment_results}: one connection and one transaction per batch.
 *
 * <p>When PostgreSQL refuses a row (a data or constraint error) the transaction is rolled back and
 * the batch is written again, bisected under savepoints so that only the refused rows are left out
 * and reported; the rest commit together. Any other failure propagates as {@link SQLException}
 * and nothing is committed: the caller keeps the batch and retries.
 */
public final class ResultRepository {
    private final DataSource dataSource;
    private final UpsertMethod method;

    public ResultRepository(DataSource dataSource, UpsertMethod method) {
        this.dataSource = dataSource;
        this.method = method;
    }

    /**
     * @param rows one row per payment id (see {@link ResultPrecedence#collapse})
     * @throws SQLException when the database could not be used; nothing was committed
     */
    public WriteOutcome write(List<ResultRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return new WriteOutcome(0, List.of());
        }
        try (Connection connection = dataSource.getConnection()) {
            method.prepare(connection);
            try {
                int changed = method.upsert(connection, rows);
                connection.commit();
                return new WriteOutcome(changed, List.of());
            } catch (SQLException e) {
                rollback(connection, e);
                if (!SqlFailures.isRecordError(e)) {
                    throw e;
                }
            }
            List<WriteOutcome.Rejected> rejected = new ArrayList<>();
            try {
                int changed = writeIsolating(connection, rows, rejected);
                connection.commit();
                return new WriteOutcome(changed, rejected);
            } catch (SQLException e) {
                rollback(connection, e);
                throw e;
            }
        }
    }

    /** True when a pooled connection answers within {@code timeoutSeconds}. */
    public boolean probe(int timeoutSeconds) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(timeoutSeconds);
        } catch (SQLException e) {
            return false;
        }
    }

    private int writeIsolating(Connection connection, List<ResultRow> rows, List<WriteOutcome.Rejected> rejected)
            throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            int changed = method.upsert(connection, rows);
            connection.releaseSavepoint(savepoint);
            method.afterPartialWrite(connection);
            return changed;
        } catch (SQLException e) {
            if (!SqlFailures.isRecordError(e)) {
                throw e;
            }
            connection.rollback(savepoint);
            if (rows.size() == 1) {
                rejected.add(new WriteOutcome.Rejected(rows.get(0), e.getSQLState(), SqlFailures.describe(e)));
                return 0;
            }
            int half = rows.size() / 2;
            return writeIsolating(connection, rows.subList(0, half), rejected)
                    + writeIsolating(connection, rows.subList(half, rows.size()), rejected);
        }
    }

    private static void rollback(Connection connection, SQLException cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
