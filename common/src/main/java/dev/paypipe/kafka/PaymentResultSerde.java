package dev.paypipe.kafka;

import dev.paypipe.json.PaymentJson;
import dev.paypipe.model.PaymentResult;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for {@link PaymentResult} in the JSON contract. The deserializer throws
 * {@link dev.paypipe.json.MalformedResultException} on a record that breaks the contract;
 * consumers that must dead-letter such records read raw bytes and call {@link PaymentJson} instead.
 */
public final class PaymentResultSerde implements Serde<PaymentResult> {
    @Override
    public Serializer<PaymentResult> serializer() {
        return new ResultSerializer();
    }

    @Override
    public Deserializer<PaymentResult> deserializer() {
        return new ResultDeserializer();
    }

    public static final class ResultSerializer implements Serializer<PaymentResult> {
        @Override
        public byte[] serialize(String topic, PaymentResult data) {
            return data == null ? null : PaymentJson.encodeResult(data);
        }
    }

    public static final class ResultDeserializer implements Deserializer<PaymentResult> {
        @Override
        public PaymentResult deserialize(String topic, byte[] data) {
            return data == null ? null : PaymentJson.decodeResult(data);
        }
    }
}
