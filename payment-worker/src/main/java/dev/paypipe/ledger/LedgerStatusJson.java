package dev.paypipe.ledger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The JSON that {@code GET /payments/{id}} answers: the payment's phase ({@code ACCEPTED}, {@code RETRYING},
 * {@code FINAL}, {@code REPLAYING} with the status and result published before the replay), the replay count,
 * attempts, the next attempt's due time and last error class while retrying, and the final result exactly as
 * published on payment-results once there is one.
 */
final class LedgerStatusJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private LedgerStatusJson() {
    }

    static byte[] status(String paymentId, LedgerEntry e) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(256); JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("paymentId", paymentId);
            g.writeStringField("state", e.phase().name());
            if (e.status() != null) {
                g.writeStringField("status", e.status().name());
            }
            if (e.settledAfterUnknown()) {
                g.writeBooleanField("settledAfterUnknown", true);
            }
            g.writeNumberField("attempts", e.attempts());
            if (e.replays() > 0) {
                g.writeNumberField("replays", e.replays());
            }
            if ((e.phase() == LedgerEntry.Phase.RETRYING || e.phase() == LedgerEntry.Phase.REPLAYING) && e.dueAt() > 0) {
                g.writeStringField("nextAttemptAt", Instant.ofEpochMilli(e.dueAt()).toString());
            }
            if (e.lastErrorClass() != null) {
                g.writeStringField("lastErrorClass", e.lastErrorClass());
            }
            g.writeStringField("acceptedAt", Instant.ofEpochMilli(e.acceptedAt()).toString());
            g.writeStringField("updatedAt", Instant.ofEpochMilli(e.updatedAt()).toString());
            if (e.result() != null) {
                g.writeFieldName("result");
                g.writeRawValue(new String(e.result(), StandardCharsets.UTF_8));
            }
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static byte[] error(String paymentId, String message) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(128); JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            if (paymentId != null) {
                g.writeStringField("paymentId", paymentId);
            }
            g.writeStringField("error", message);
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
