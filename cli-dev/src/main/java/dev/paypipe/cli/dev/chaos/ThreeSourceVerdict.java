package dev.paypipe.cli.dev.chaos;

import dev.paypipe.load.ResultCollector;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.testkit.PostgresDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Judges a campaign from three sources that do not trust each other, and never from paypipe's own counters: the
 * gateway simulator's charge ledger (charges per idempotency key and their amounts), the {@code payment_results}
 * rows in PostgreSQL, and the {@code payment-results} topic read {@code read_committed}.
 */
public final class ThreeSourceVerdict {
    /** One row of {@code payment_results}. */
    public record Row(String status, BigDecimal amount, String orderId, String reason) {
    }

    private ThreeSourceVerdict() {
    }

    /** The rows of these payments, by payment id. */
    public static Map<String, Row> rows(PostgresDatabase db, Collection<String> paymentIds) throws SQLException {
        Map<String, Row> rows = new HashMap<>();
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(
                "SELECT payment_id, status, amount, order_id, reason FROM payment_results WHERE payment_id = ANY (?)")) {
            st.setArray(1, c.createArrayOf("varchar", paymentIds.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), new Row(rs.getString(2), rs.getBigDecimal(3), rs.getString(4),
                            rs.getString(5)));
                }
            }
        }
        return rows;
    }

    /** Adds every expectation's verdict to {@code report}. */
    public static void judge(CampaignReport report, List<Expectation> expected, GatewaySimulator sim,
            Map<String, Row> rows, ResultCollector results) {
        report.addPayments(expected.size());
        for (Expectation e : expected) {
            judge(report, e, sim, rows.get(e.paymentId()), results.resultsFor(e.paymentId()));
        }
    }

    private static void judge(CampaignReport report, Expectation e, GatewaySimulator sim, Row row,
            List<PaymentResult> results) {
        String id = e.paymentId();
        if (sim.ledger().chargesFor(id) > 1) {
            report.offence("chargedTwice", id + " charged " + sim.ledger().chargesFor(id) + " times");
        }
        Optional<BigDecimal> charged = sim.ledger().chargedAmount(id);
        if (e.mustNotCharge()) {
            long calls = sim.stats().chargeCallsFor(id);
            if (calls > 0) {
                report.offence("chargedWrongAmount", id + " reached the gateway " + calls
                        + " times though it must never be charged");
            }
        } else if (charged.isPresent() && charged.get().compareTo(e.amount()) != 0) {
            report.offence("chargedWrongAmount", id + " charged " + charged.get() + ", published " + e.amount());
        }
        if (results.isEmpty()) {
            report.offence("lost", id + ": no result on payment-results"
                    + (row == null ? " and no row" : " (row " + row.status() + ")"));
            return;
        }
        if (!allowedSequence(results)) {
            report.offence("duplicateResults", id + ": " + results.stream().map(PaymentResult::status).toList());
        }
        PaymentResult last = results.get(results.size() - 1);
        if (e.stored() && row == null) {
            report.offence("lost", id + ": " + last.status() + " on the topic but no row in payment_results");
        } else if (row != null && !row.status().equals(last.status().name())) {
            report.offence("nonFinal", id + ": row says " + row.status() + ", the topic's last result "
                    + last.status());
        }
        if (!e.statuses().contains(last.status())) {
            report.offence("wrongStatus", id + ": " + last.status() + ", expected one of " + e.statuses()
                    + (last.reason() == null ? "" : " (" + last.reason() + ")"));
        } else if (e.reason() != null && (last.reason() == null || !last.reason().contains(e.reason()))) {
            report.offence("wrongStatus", id + ": reason '" + last.reason() + "' does not name '" + e.reason() + "'");
        }
        boolean moneyMoved = charged.isPresent();
        if (last.status() == PaymentStatus.APPROVED && !moneyMoved) {
            report.offence("wrongStatus", id + ": APPROVED, but the gateway holds no approved charge");
        } else if (moneyMoved && last.status() != PaymentStatus.APPROVED && last.status() != PaymentStatus.UNKNOWN) {
            report.offence("wrongStatus", id + ": " + last.status() + ", but the gateway charged it");
        }
    }

    /** One final result; or an UNKNOWN followed by exactly one settlement, which the contract allows. */
    private static boolean allowedSequence(List<PaymentResult> results) {
        return results.size() == 1 || results.size() == 2 && results.get(0).status() == PaymentStatus.UNKNOWN
                && results.get(1).status() != PaymentStatus.UNKNOWN;
    }
}
