package dev.paypipe.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON for control-topic records. Commands: {@code {"type":"pause","reason":…,"by":…,"at":ISO-8601}},
 * {@code {"type":"resume",…}}, {@code {"type":"breaker","mode":"force-open",…}}. Heartbeats:
 * {@code {"type":"status",…}} with the {@link StatusReport} fields. Unknown fields are ignored so
 * older processes read newer records.
 */
public final class ControlCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ControlCodec() {
    }

    /** A record that is not a control command we understand; the message says why. */
    public static final class MalformedControlRecordException extends RuntimeException {
        MalformedControlRecordException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static byte[] encode(ControlMessage message) {
        ObjectNode node = MAPPER.createObjectNode();
        // Java 17: no pattern switch over the sealed type yet
        if (message instanceof ControlMessage.Pause p) {
            node.put("type", "pause").put("reason", p.reason());
        } else if (message instanceof ControlMessage.Breaker b) {
            node.put("type", "breaker").put("mode", b.mode().cliName());
        } else {
            node.put("type", "resume");
        }
        node.put("by", message.by()).put("at", message.at().toString());
        return bytes(node);
    }

    public static ControlMessage decodeMessage(byte[] value) {
        JsonNode node = tree(value);
        String type = text(node, "type");
        String by = text(node, "by");
        Instant at = instant(node, "at");
        return switch (type) {
            case "pause" -> new ControlMessage.Pause(text(node, "reason"), by, at);
            case "resume" -> new ControlMessage.Resume(by, at);
            case "breaker" -> {
                try {
                    yield new ControlMessage.Breaker(BreakerMode.parse(text(node, "mode")), by, at);
                } catch (IllegalArgumentException e) {
                    throw new MalformedControlRecordException(e.getMessage(), e);
                }
            }
            default -> throw new MalformedControlRecordException("unknown control record type '" + type + "'", null);
        };
    }

    public static byte[] encode(StatusReport s) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", "status").put("instanceId", s.instanceId()).put("role", s.role()).put("host", s.host())
                .put("startedAt", s.startedAt().toString()).put("at", s.at().toString())
                .put("paused", s.paused()).put("pausedBy", s.pausedBy()).put("pauseReason", s.pauseReason())
                .put("breaker", s.breaker()).put("inFlight", s.inFlight());
        ObjectNode lag = node.putObject("lag");
        s.sortedLag().forEach(lag::put);
        ObjectNode backlog = node.putObject("retryBacklog");
        new java.util.TreeMap<>(s.retryBacklog()).forEach(backlog::put);
        ObjectNode details = node.putObject("details");
        new java.util.TreeMap<>(s.details()).forEach(details::put);
        return bytes(node);
    }

    /** The report as a JSON tree, for {@code GET /admin/status} and {@code paypipe status --json}. */
    public static JsonNode toTree(StatusReport s) {
        return tree(encode(s));
    }

    public static StatusReport decodeStatus(byte[] value) {
        JsonNode node = tree(value);
        if (!"status".equals(node.path("type").asText())) {
            throw new MalformedControlRecordException("not a status record: type '" + node.path("type").asText()
                    + "'", null);
        }
        return new StatusReport(text(node, "instanceId"), text(node, "role"), node.path("host").asText(""),
                instant(node, "startedAt"), instant(node, "at"), node.path("paused").asBoolean(false),
                optionalText(node, "pausedBy"), optionalText(node, "pauseReason"), node.path("breaker").asText("n/a"),
                node.path("inFlight").asLong(0), longs(node.path("lag")), longs(node.path("retryBacklog")),
                strings(node.path("details")));
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode control record", e);
        }
    }

    private static JsonNode tree(byte[] value) {
        try {
            JsonNode node = MAPPER.readTree(value);
            if (node == null || !node.isObject()) {
                throw new MalformedControlRecordException("control record is not a JSON object", null);
            }
            return node;
        } catch (IOException e) {
            throw new MalformedControlRecordException("control record is not JSON: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new MalformedControlRecordException("control record has no text field '" + field + "'", null);
        }
        return v.asText();
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        String v = text(node, field);
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new MalformedControlRecordException("control record field '" + field + "' is not an ISO-8601 instant: "
                    + v, e);
        }
    }

    private static Map<String, Long> longs(JsonNode node) {
        Map<String, Long> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
