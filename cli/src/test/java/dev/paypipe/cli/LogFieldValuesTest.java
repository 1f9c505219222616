package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** Values the components put in key-value pairs come out of the production encoder as readable JSON values. */
class LogFieldValuesTest {

    @Test
    void instantsDurationsAndEnumsBecomeReadableJsonValues() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(getClass().getClassLoader().getResource("logback.xml"));
            Logger log = context.getLogger("dev.paypipe.test");
            log.atWarn().setMessage("fleet pause received").addKeyValue("event", "fleet_pause_received")
                    .addKeyValue("at", Instant.parse("2026-12-02T01:00:00Z")).addKeyValue("wait", Duration.ofSeconds(5))
                    .addKeyValue("to", Thread.State.RUNNABLE).log();
        } finally {
            context.stop();
            System.setOut(original);
        }
        String line = captured.toString(StandardCharsets.UTF_8).trim();
        assertThat(line).as("one JSON line").startsWith("{");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("event").asText()).isEqualTo("fleet_pause_received");
        assertThat(json.get("to").asText()).isEqualTo("RUNNABLE");
        assertThat(json.get("at").asText()).isEqualTo("2026-12-02T01:00:00Z");
        assertThat(json.get("wait").asText()).isEqualTo("PT5S");
    }
}
