package dev.paypipe.kafka;

import dev.paypipe.json.PaymentJson;
import dev.paypipe.model.PaymentRequest;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer for {@link PaymentRequest} in the JSON contract; used by the Java publisher. */
public final class PaymentRequestSerializer implements Serializer<PaymentRequest> {
    @Override
    public byte[] serialize(String topic, PaymentRequest data) {
        return data == null ? null : PaymentJson.encodeRequest(data);
    }
}
