package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Values the components put in key-value pairs come out of the production encoder as readable JSON values. */
class LogFieldValuesTest {

    @Test
    void instantsDurationsAndEnumsBecomeReadableJsonValues() throws Exception {
        String line = ProductionLogs.capture(log -> log.atWarn().setMessage("fleet pause received")
                .addKeyValue("event", "fleet_pause_received").addKeyValue("at", Instant.parse("2026-12-02T01:00:00Z"))
                .addKeyValue("wait", Duration.ofSeconds(5)).addKeyValue("to", Thread.State.RUNNABLE).log());
        assertThat(line).as("one JSON line").startsWith("{");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("event").asText()).isEqualTo("fleet_pause_received");
        assertThat(json.get("to").asText()).isEqualTo("RUNNABLE");
        assertThat(json.get("at").asText()).isEqualTo("2026-12-02T01:00:00Z");
        assertThat(json.get("wait").asText()).isEqualTo("PT5S");
    }
}
