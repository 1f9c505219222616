package dev.paypipe.ledger;

import dev.paypipe.model.PaymentStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A compact binary form of {@link LedgerEntry} for the store and its changelog: about 80 bytes plus the final
 * result's JSON. Version byte first, so the format can grow. Version 2 appends the replay count (an int) after the
 * result and may hold the phase REPLAYING; version 1 entries (written before replays existed) still read, with 0
 * replays. A ledger older than version 2 refuses version-2 entries by name.
 */
public final class LedgerEntrySerde implements Serde<LedgerEntry>, Serializer<LedgerEntry>, Deserializer<LedgerEntry> {
    private static final byte VERSION = 2;
    private static final byte VERSION_WITHOUT_REPLAYS = 1;
    private static final byte NONE = -1;
    private static final PaymentStatus[] STATUSES = PaymentStatus.values();
    private static final LedgerEntry.Phase[] PHASES = LedgerEntry.Phase.values();

    @Override
    public byte[] serialize(String topic, LedgerEntry e) {
        if (e == null) {
            return null;
        }
        byte[] error = e.lastErrorClass() == null ? null : e.lastErrorClass().getBytes(StandardCharsets.UTF_8);
        int size = 4 + 8 + 8 + 4 + 8 + 1 + (e.fingerprint() == null ? 0 : 40) + 2 + (error == null ? 0 : error.length)
                + 4 + (e.result() == null ? 0 : e.result().length) + 4;
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(VERSION).put((byte) e.phase().ordinal()).put(e.status() == null ? NONE : (byte) e.status().ordinal())
                .put((byte) (e.settledAfterUnknown() ? 1 : 0));
        b.putLong(e.acceptedAt()).putLong(e.updatedAt()).putInt(e.attempts()).putLong(e.dueAt());
        Fingerprint f = e.fingerprint();
        if (f == null) {
            b.put((byte) 0);
        } else {
            b.put((byte) 1).putLong(f.amount()).putLong(f.currency()).putLong(f.customerId()).putLong(f.paymentMethod())
                    .putLong(f.orderId());
        }
        b.putShort(error == null ? -1 : (short) error.length);
        if (error != null) {
            b.put(error);
        }
        b.putInt(e.result() == null ? -1 : e.result().length);
        if (e.result() != null) {
            b.put(e.result());
        }
        b.putInt(e.replays());
        return b.array();
    }

    @Override
    public LedgerEntry deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            byte version = b.get();
            if (version != VERSION && version != VERSION_WITHOUT_REPLAYS) {
                throw new SerializationException("ledger entry format version " + version + " is not known to this "
                        + "build (expected " + VERSION_WITHOUT_REPLAYS + " or " + VERSION + "); run a ledger at least "
                        + "as new as the one that wrote it");
            }
            LedgerEntry.Phase phase = PHASES[b.get()];
            byte status = b.get();
            boolean settled = b.get() == 1;
            long acceptedAt = b.getLong();
            long updatedAt = b.getLong();
            int attempts = b.getInt();
            long dueAt = b.getLong();
            Fingerprint f = b.get() == 0 ? null
                    : new Fingerprint(b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong());
            short errorLength = b.getShort();
            String error = null;
            if (errorLength >= 0) {
                error = new String(data, b.position(), errorLength, StandardCharsets.UTF_8);
                b.position(b.position() + errorLength);
            }
            int resultLength = b.getInt();
            byte[] result = null;
            if (resultLength >= 0) {
                result = new byte[resultLength];
                b.get(result);
            }
            int replays = version == VERSION_WITHOUT_REPLAYS ? 0 : b.getInt();
            return new LedgerEntry(phase, status == NONE ? null : STATUSES[status], settled, f, acceptedAt, updatedAt,
                    attempts, dueAt, error, result, replays);
        } catch (RuntimeException e) {
            if (e instanceof SerializationException) {
                throw e;
            }
            throw new SerializationException("corrupt ledger entry of " + data.length + " bytes: " + e, e);
        }
    }

    @Override
    public Serializer<LedgerEntry> serializer() {
        return this;
    }

    @Override
    public Deserializer<LedgerEntry> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public void close() {
    }
}
