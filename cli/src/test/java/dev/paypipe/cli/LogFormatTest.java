package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The production logback.xml writes one JSON object per line carrying the values, never raw {@code {}}. */
class LogFormatTest {

    @Test
    void productionLogLinesCarryArgumentValuesAndKeyValueFields() throws Exception {
        String[] lines = ProductionLogs.capture(log -> {
            log.warn("event=circuit_breaker_state_change from={} to={}", "CLOSED", "OPEN");
            log.atInfo().setMessage("payment rejected").addKeyValue("event", "payment_rejected")
                    .addKeyValue("paymentId", "pay-42").log();
        }).split("\n");
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines[0]);
        assertThat(first.get("message").asText()).isEqualTo("event=circuit_breaker_state_change from=CLOSED to=OPEN");
        assertThat(first.get("level").asText()).isEqualTo("WARN");
        JsonNode second = json.readTree(lines[1]);
        assertThat(second.get("event").asText()).isEqualTo("payment_rejected");
        assertThat(second.get("paymentId").asText()).isEqualTo("pay-42");
        assertThat(lines[0] + lines[1]).doesNotContain("{}");
    }
}
