package dev.paypipe.persistence;

import java.util.List;

/**
 * What one batch write did.
 *
 * @param rowsChanged rows inserted or updated (a result that lost to the stored one changes nothing)
 * @param rejected    rows the database refused (constraint or data errors): they can never be written
 */
public record WriteOutcome(int rowsChanged, List<Rejected> rejected) {
    public WriteOutcome {
        rejected = List.copyOf(rejected);
    }

    /** A row the database refused, with the reason PostgreSQL gave. */
    public record Rejected(ResultRow row, String sqlState, String reason) {
    }
}
