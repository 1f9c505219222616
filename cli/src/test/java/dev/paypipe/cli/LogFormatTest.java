package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The production logback.xml writes one JSON object per line carrying the values, never raw {@code {}}. */
class LogFormatTest {

    @Test
    void productionLogLinesCarryArgumentValuesAndKeyValueFields() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            URL config = getClass().getClassLoader().getResource("logback.xml");
            assertThat(config).as("production logback.xml on the classpath").isNotNull();
            configurator.doConfigure(config);
            Logger log = context.getLogger("dev.paypipe.test");
            log.warn("event=circuit_breaker_state_change from={} to={}", "CLOSED", "OPEN");
            log.atInfo().setMessage("payment rejected").addKeyValue("event", "payment_rejected")
                    .addKeyValue("paymentId", "pay-42").log();
        } finally {
            context.stop();
            System.setOut(original);
        }
        String[] lines = captured.toString(StandardCharsets.UTF_8).trim().split("\n");
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
