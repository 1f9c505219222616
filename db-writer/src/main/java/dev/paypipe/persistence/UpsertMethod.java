package dev.paypipe.persistence;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.PGConnection;

/**
 * How a batch of rows reaches {@code payment_results}. All apply the same precedence rule and are
 * interchangeable; {@link #COPY_OPTIMISTIC} measured fastest (docs/db-writer.md) and is the default.
 * Rows handed in are already collapsed to one per payment id.
 */
public enum UpsertMethod {
    /**
     * COPY straight into the table, as fast as a raw COPY, when no row of the batch exists yet (the
     * usual case: one result per payment). When one does (a re-delivery, a reconciled UNKNOWN), the
     * duplicate-key error rolls back to a savepoint and the batch goes through {@link #COPY_MERGE};
     * the next {@value #MERGE_AFTER_CONFLICT} batches then merge directly, since conflicts come in runs.
     */
    COPY_OPTIMISTIC {
        private static final String DIRECT = "COPY " + ResultColumns.TABLE + " (" + ResultColumns.LIST
                + ") FROM STDIN";
        private final AtomicInteger mergeOnly = new AtomicInteger();

        @Override
        int upsert(Connection connection, List<ResultRow> rows) throws SQLException {
            if (mergeOnly.get() > 0) {
                mergeOnly.decrementAndGet();
                return COPY_MERGE.upsert(connection, rows);
            }
            CopyText text = ResultColumns.copyTextOfThisThread(rows);
            Savepoint savepoint = connection.setSavepoint();
            try {
                long copied = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(DIRECT,
                        new ByteArrayInputStream(text.buffer(), 0, text.length()));
                connection.releaseSavepoint(savepoint);
                return (int) copied;
            } catch (IOException e) {
                throw new SQLException("COPY of " + rows.size() + " rows failed: " + e, "08006", e);
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                connection.rollback(savepoint);
                mergeOnly.set(MERGE_AFTER_CONFLICT);
                return COPY_MERGE.upsert(connection, rows);
            }
        }

        @Override
        void prepare(Connection connection) throws SQLException {
            Staging.ensure(connection); // for the fallback
        }

        @Override
        void afterPartialWrite(Connection connection) throws SQLException {
            Staging.clear(connection);
        }
    },

    /** COPY into a session-local temp table, then one {@code INSERT ... SELECT ... ON CONFLICT}. */
    COPY_MERGE {
        private static final String COPY = "COPY " + ResultColumns.STAGING + " (" + ResultColumns.LIST
                + ") FROM STDIN";
        private static final String MERGE = "INSERT INTO " + ResultColumns.TABLE + " (" + ResultColumns.LIST
                + ", updated_at) SELECT " + ResultColumns.LIST + ", now() FROM " + ResultColumns.STAGING
                + ResultColumns.ON_CONFLICT;

        @Override
        void prepare(Connection connection) throws SQLException {
            Staging.ensure(connection);
        }

        @Override
        int upsert(Connection connection, List<ResultRow> rows) throws SQLException {
            PGConnection pg = connection.unwrap(PGConnection.class);
            CopyText text = ResultColumns.copyTextOfThisThread(rows);
            try {
                pg.getCopyAPI().copyIn(COPY, new ByteArrayInputStream(text.buffer(), 0, text.length()));
            } catch (IOException e) {
                throw new SQLException("COPY of " + rows.size() + " rows failed: " + e, "08006", e);
            }
            try (Statement s = connection.createStatement()) {
                return s.executeUpdate(MERGE);
            }
        }

        @Override
        void afterPartialWrite(Connection connection) throws SQLException {
            Staging.clear(connection);
        }
    },

    /** One {@code INSERT ... SELECT FROM unnest(text[], ...)} statement with one array per column. */
    UNNEST {
        private static final String SQL = buildSql();

        private static String buildSql() {
            List<String> names = ResultColumns.NAMES;
            StringBuilder select = new StringBuilder();
            StringBuilder params = new StringBuilder();
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                select.append(i == 0 ? "" : ", ").append("u.").append(n).append(cast(n));
                params.append(i == 0 ? "" : ", ").append("?::text[]");
            }
            return "INSERT INTO " + ResultColumns.TABLE + " (" + ResultColumns.LIST + ", updated_at) SELECT "
                    + select + ", now() FROM unnest(" + params + ") AS u(" + ResultColumns.LIST + ")"
                    + ResultColumns.ON_CONFLICT;
        }

        @Override
        int upsert(Connection connection, List<ResultRow> rows) throws SQLException {
            int columns = ResultColumns.NAMES.size();
            String[][] byColumn = new String[columns][rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                String[] values = ResultColumns.values(rows.get(r));
                for (int c = 0; c < columns; c++) {
                    byColumn[c][r] = values[c];
                }
            }
            try (PreparedStatement ps = connection.prepareStatement(SQL)) {
                for (int c = 0; c < columns; c++) {
                    Array array = connection.createArrayOf("text", byColumn[c]);
                    ps.setArray(c + 1, array);
                }
                return ps.executeUpdate();
            }
        }
    },

    /** Single-row upserts batched with JDBC; the driver's {@code reWriteBatchedInserts} makes them multi-row. */
    BATCHED_INSERT {
        private static final String SQL = buildSql();

        private static String buildSql() {
            StringBuilder values = new StringBuilder();
            for (int i = 0; i < ResultColumns.NAMES.size(); i++) {
                values.append(i == 0 ? "" : ", ").append('?').append(cast(ResultColumns.NAMES.get(i)));
            }
            return "INSERT INTO " + ResultColumns.TABLE + " (" + ResultColumns.LIST + ", updated_at) VALUES ("
                    + values + ", now())" + ResultColumns.ON_CONFLICT;
        }

        @Override
        int upsert(Connection connection, List<ResultRow> rows) throws SQLException {
            try (PreparedStatement ps = connection.prepareStatement(SQL)) {
                for (ResultRow row : rows) {
                    String[] values = ResultColumns.values(row);
                    for (int c = 0; c < values.length; c++) {
                        if (values[c] == null) {
                            ps.setNull(c + 1, Types.VARCHAR);
                        } else {
                            ps.setString(c + 1, values[c]);
                        }
                    }
                    ps.addBatch();
                }
                int changed = 0;
                for (int count : ps.executeBatch()) {
                    // a rewritten multi-row statement reports SUCCESS_NO_INFO per row
                    changed += count == Statement.SUCCESS_NO_INFO ? 1 : count;
                }
                return changed;
            }
        }
    };

    static final int MERGE_AFTER_CONFLICT = 16;
    private static final String UNIQUE_VIOLATION = "23505";

    /** Called with no transaction open, before the batch's transaction; may commit its own set-up. */
    void prepare(Connection connection) throws SQLException {
    }

    /** Writes the rows inside the caller's transaction and returns the rows inserted or updated. */
    abstract int upsert(Connection connection, List<ResultRow> rows) throws SQLException;

    /** Clears per-transaction state after a successful partial write while isolating a bad row. */
    void afterPartialWrite(Connection connection) throws SQLException {
    }

    static String cast(String column) {
        return switch (column) {
            case "amount" -> "::numeric";
            case "status_precedence" -> "::smallint";
            case "attempts", "source_partition" -> "::integer";
            case "source_offset" -> "::bigint";
            case "requested_at", "completed_at" -> "::timestamptz";
            default -> "";
        };
    }

    /** The session-local staging table of the COPY methods, created once per pooled connection. */
    private static final class Staging {
        private static final String CREATE = "CREATE TEMP TABLE IF NOT EXISTS " + ResultColumns.STAGING
                + " ON COMMIT DELETE ROWS AS SELECT " + ResultColumns.LIST + " FROM " + ResultColumns.TABLE
                + " WITH NO DATA";
        /** Sessions that already have it; weak so that closed connections drop out. */
        private static final Map<PGConnection, Boolean> SESSIONS = Collections.synchronizedMap(new WeakHashMap<>());

        static void ensure(Connection connection) throws SQLException {
            PGConnection pg = connection.unwrap(PGConnection.class);
            if (!SESSIONS.containsKey(pg)) {
                // committed on its own, before the batch, so that a rolled-back batch cannot take it away
                try (Statement s = connection.createStatement()) {
                    s.execute(CREATE);
                }
                connection.commit();
                SESSIONS.put(pg, Boolean.TRUE);
            }
        }

        static void clear(Connection connection) throws SQLException {
            try (Statement s = connection.createStatement()) {
                s.executeUpdate("DELETE FROM " + ResultColumns.STAGING);
            }
        }
    }
}
