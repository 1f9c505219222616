package dev.paypipe.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlCodecTest {
    private static final Instant AT = Instant.parse("2026-12-02T01:00:00Z");

    @Test
    void pauseResumeAndBreakerSurviveARoundTrip() {
        ControlMessage pause = new ControlMessage.Pause("gateway outage INC-42", "alice", AT);
        ControlMessage resume = new ControlMessage.Resume("bob", AT.plusSeconds(60));
        ControlMessage breaker = new ControlMessage.Breaker(BreakerMode.FORCE_OPEN, "carol", AT);

        assertThat(ControlCodec.decodeMessage(ControlCodec.encode(pause))).isEqualTo(pause);
        assertThat(ControlCodec.decodeMessage(ControlCodec.encode(resume))).isEqualTo(resume);
        assertThat(ControlCodec.decodeMessage(ControlCodec.encode(breaker))).isEqualTo(breaker);
    }

    @Test
    void writesTheDocumentedJsonShape() {
        String json = new String(ControlCodec.encode(new ControlMessage.Breaker(BreakerMode.FORCE_OPEN, "carol", AT)),
                StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"type\":\"breaker\",\"mode\":\"force-open\",\"by\":\"carol\",\"at\":\"2026-12-02T01:00:00Z\"}");
    }

    @Test
    void pauseAndResumeShareTheCompactedKeySoTheLatestWins() {
        assertThat(new ControlMessage.Pause("r", "a", AT).key()).isEqualTo(new ControlMessage.Resume("a", AT).key());
        assertThat(new ControlMessage.Breaker(BreakerMode.AUTO, "a", AT).key()).isNotEqualTo(ControlTopic.PAUSE_KEY);
    }

    @Test
    void ignoresUnknownFieldsAndRefusesUnknownTypesWithTheirName() {
        byte[] newer = "{\"type\":\"resume\",\"by\":\"x\",\"at\":\"2026-12-02T01:00:00Z\",\"ticket\":\"INC-1\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(ControlCodec.decodeMessage(newer)).isEqualTo(new ControlMessage.Resume("x", AT));

        assertThatThrownBy(() -> ControlCodec.decodeMessage("{\"type\":\"drain\",\"by\":\"x\",\"at\":\"2026-12-02T01:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("drain");
        assertThatThrownBy(() -> ControlCodec.decodeMessage("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ControlCodec.MalformedControlRecordException.class);
        assertThatThrownBy(() -> ControlCodec.decodeMessage("{\"type\":\"breaker\",\"mode\":\"sideways\",\"by\":\"x\",\"at\":\"2026-12-02T01:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("sideways");
    }

    @Test
    void statusReportSurvivesARoundTrip() {
        StatusReport report = new StatusReport("worker-1", "payment-worker", "host-a", AT, AT.plusSeconds(5), true,
                "alice", "gateway outage", "FORCED_OPEN", 12, Map.of("payment-accepted-0", 40L, "payment-accepted-1", 2L),
                Map.of("30s", 7L, "2m", 1L), Map.of("db", "ready"));

        assertThat(ControlCodec.decodeStatus(ControlCodec.encode(report))).isEqualTo(report);
        assertThat(report.totalLag()).isEqualTo(42);
    }

    @Test
    void breakerModesParseFromTheirCliSpelling() {
        assertThat(BreakerMode.parse("force-open")).isEqualTo(BreakerMode.FORCE_OPEN);
        assertThat(BreakerMode.parse("RESET")).isEqualTo(BreakerMode.RESET);
        assertThat(BreakerMode.AUTO.cliName()).isEqualTo("auto");
    }
}
