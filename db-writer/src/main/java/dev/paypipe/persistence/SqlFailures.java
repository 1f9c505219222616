package dev.paypipe.persistence;

import java.sql.SQLException;

/**
 * The one place that decides what a failed write means. A data or constraint error belongs to a
 * record and will fail the same way forever; anything else (connection refused, server shutting
 * down, deadlock, pool timeout) is retried with the batch kept, because losing a result is worse
 * than waiting.
 */
public final class SqlFailures {
    private SqlFailures() {
    }

    /** SQLState classes 22 (data exception), 23 (integrity constraint) and 54 (program limit). */
    public static boolean isRecordError(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    /** A short, single-line description for logs and dead-letter headers. */
    public static String describe(SQLException e) {
        String message = String.valueOf(e.getMessage()).replace('\n', ' ').strip();
        if (message.length() > 500) {
            message = message.substring(0, 500) + "...";
        }
        return "SQLState " + e.getSQLState() + ": " + message;
    }
}
