package dev.paypipe.cli.dev;

import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.StoredCharge;
import dev.paypipe.testkit.PostgresDatabase;
import dev.paypipe.worker.PaymentWorker;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * What a demo run came to, from three independent sources: the database (rows and statuses), the
 * gateway simulator's own ledger (charges per key and their amounts) and a {@code read_committed}
 * client of the results topic (results per payment, latency). The verdict fails on any lost payment,
 * double charge, wrong amount, non-final row or second final result, and when the db-writer ever held more
 * database connections than its cap.
 */
final class DemoReport {
    /** One line of the verdict: a figure of the report, what it must be, and whether it is. */
    record Check(String name, long value, String expected, boolean ok) {
    }

    private static final List<String> MUST_BE_ZERO = List.of("lost", "chargedTwice", "nonFinal", "duplicateResults",
            "chargedWrongAmount");

    private final Map<String, Object> r = new LinkedHashMap<>();
    private final int payments;

    DemoReport(int payments, int dbPoolCap) {
        this.payments = payments;
        r.put("payments", payments);
        r.put("dbPoolCap", dbPoolCap);
    }

    void database(PostgresDatabase db, long startMillis) throws SQLException {
        Map<String, Long> statuses = new LinkedHashMap<>();
        for (String s : new String[] {"APPROVED", "DECLINED", "REJECTED", "FAILED", "UNKNOWN"}) {
            statuses.put(s, 0L);
        }
        long rows = 0;
        long nonFinal = 0;
        long lastWrite = startMillis;
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT status, count(*), max(updated_at) FROM payment_results GROUP BY status")) {
            while (rs.next()) {
                String status = rs.getString(1);
                long n = rs.getLong(2);
                rows += n;
                if (statuses.containsKey(status)) {
                    statuses.put(status, n);
                } else {
                    nonFinal += n;
                }
                Timestamp t = rs.getTimestamp(3);
                lastWrite = Math.max(lastWrite, t.getTime());
            }
        }
        long elapsed = Math.max(1, lastWrite - startMillis);
        r.put("statuses", statuses);
        r.put("dbRows", rows);
        r.put("lost", Math.max(0, payments - rows));
        r.put("nonFinal", nonFinal);
        r.put("elapsedMs", elapsed);
        r.put("throughputPerSec", Math.round(rows * 1000.0 / elapsed));
    }

    void gateway(GatewaySimulator sim, DemoPublisher load) {
        long wrongAmount = 0;
        for (int i = 0; i < payments; i++) {
            Optional<StoredCharge> charge = sim.ledger().find(String.format("demo-%06d", i));
            if (charge.isPresent() && charge.get().approved()
                    && new BigDecimal(charge.get().amount()).compareTo(load.firstAmount(i)) != 0) {
                wrongAmount++;
            }
        }
        r.put("chargedTwice", sim.ledger().chargedTwice());
        r.put("chargedWrongAmount", wrongAmount);
        r.put("gatewayCallsPerPayment", round(sim.stats().chargeCalls() / (double) payments));
        r.put("gatewayLookupsPerPayment", round(sim.stats().lookupCalls() / (double) payments));
        r.put("gatewayCallsDuringOutage", sim.stats().chargeCallsDuringOutage());
    }

    void pipeline(PaymentWorker worker, ConnectionSampler sampler, ResultWatch watch, DemoPublisher load,
            StallMeter stalls) {
        Histogram h = watch.histogram();
        Map<String, Object> latencyMs = new LinkedHashMap<>();
        latencyMs.put("p50", h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50));
        latencyMs.put("p99", h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99));
        latencyMs.put("max", h.getTotalCount() == 0 ? 0 : h.getMaxValue());
        r.put("latencyMs", latencyMs);
        r.put("duplicateResults", watch.duplicateResults());
        r.put("duplicateCopiesPublished", load.duplicateCopies());
        r.put("conflictingCopiesPublished", load.conflictingCopies());
        r.put("stallSecondsMax", stalls.maxSeconds());
        r.put("maxDbConnectionsSeen", sampler.max());
        r.put("breakerOpenMs", worker.breakerOpenMillis());
        Map<String, Long> tiers = new LinkedHashMap<>();
        worker.retriesByTier().forEach((tier, n) -> tiers.put(tier.toString(), n));
        r.put("retriesByTier", tiers);
        r.put("deadLetters", worker.deadLetters());
    }

    /** Adds a figure that only some runs have (e.g. the ledger's counters). */
    void put(String key, Object value) {
        r.put(key, value);
    }

    /** The invariants, in the order the table prints them. */
    List<Check> verdict() {
        List<Check> checks = new ArrayList<>();
        for (String key : MUST_BE_ZERO) {
            checks.add(new Check(key, number(key), "0", number(key) == 0));
        }
        long cap = number("dbPoolCap");
        checks.add(new Check("maxDbConnectionsSeen", number("maxDbConnectionsSeen"), "<= " + cap,
                number("maxDbConnectionsSeen") <= cap));
        return checks;
    }

    boolean ok() {
        return verdict().stream().allMatch(Check::ok);
    }

    private long number(String key) {
        return ((Number) r.get(key)).longValue();
    }

    Map<String, Object> values() {
        return r;
    }

    void print(PrintStream out) {
        out.println();
        out.printf("  statuses            %s%n", r.get("statuses"));
        out.printf("  db rows             %s of %s (lost %s, non-final %s)%n", r.get("dbRows"), r.get("payments"),
                r.get("lost"), r.get("nonFinal"));
        out.printf("  charged twice       %s (charged a wrong amount %s)%n", r.get("chargedTwice"),
                r.get("chargedWrongAmount"));
        out.printf("  results per payment %s payments with a second final result (copies published: %s identical,"
                + " %s conflicting; dropped %s, refused %s)%n", r.get("duplicateResults"),
                r.get("duplicateCopiesPublished"), r.get("conflictingCopiesPublished"),
                r.getOrDefault("duplicatesDropped", "-"), r.getOrDefault("conflictsRefused", "-"));
        out.printf("  throughput          %s payments/s end to end (%s ms)%n", r.get("throughputPerSec"), r.get("elapsedMs"));
        out.printf("  latency ms          %s (longest stall %s s)%n", r.get("latencyMs"), r.get("stallSecondsMax"));
        out.printf("  gateway calls/pay   %s (look-ups/pay %s, calls during outage %s, breaker open %s ms)%n",
                r.get("gatewayCallsPerPayment"), r.get("gatewayLookupsPerPayment"), r.get("gatewayCallsDuringOutage"),
                r.get("breakerOpenMs"));
        out.printf("  db connections      max %s seen, cap %s%n", r.get("maxDbConnectionsSeen"), r.get("dbPoolCap"));
        out.println();
        printVerdictTable(out);
        out.println(ok() ? "  VERDICT: OK - every payment has exactly one final row and one final result, none lost,"
                + " none charged twice or at another amount, database connections within the cap"
                : "  VERDICT: FAILED - see the checks marked FAIL above");
    }

    /** The verdict as a markdown table: check, value, expected, result. */
    void printVerdictTable(PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"check", "value", "expected", "result"});
        for (Check c : verdict()) {
            rows.add(new String[] {c.name(), Long.toString(c.value()), c.expected(), c.ok() ? "ok" : "FAIL"});
        }
        int[] width = new int[4];
        for (String[] row : rows) {
            for (int i = 0; i < 4; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (int n = 0; n < rows.size(); n++) {
            StringBuilder line = new StringBuilder("  |");
            for (int i = 0; i < 4; i++) {
                line.append(' ').append(String.format(i == 1 ? "%" + width[i] + "s" : "%-" + width[i] + "s",
                        rows.get(n)[i])).append(" |");
            }
            out.println(line);
            if (n == 0) {
                StringBuilder rule = new StringBuilder("  |");
                for (int i = 0; i < 4; i++) {
                    rule.append(i == 1 ? "-".repeat(width[i] + 1) + ":|" : "-".repeat(width[i] + 2) + "|");
                }
                out.println(rule);
            }
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
