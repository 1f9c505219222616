package dev.paypipe.kafka;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.model.PaymentRequest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What an order service uses to submit payments: an idempotent, acks=all producer keyed by payment
 * id. Publishing the same payment twice is safe: the gateway call is keyed by the payment id.
 */
public final class PaymentPublisher implements AutoCloseable {
    private final Producer<String, PaymentRequest> producer;
    private final String topic;

    public PaymentPublisher(KafkaSettings kafka) {
        Map<String, Object> props = kafka.producerProperties("paypipe-publisher");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new PaymentRequestSerializer());
        this.topic = kafka.topics().requests();
    }

    /** Completes when the broker has acknowledged the request (acks=all). */
    public CompletableFuture<RecordMetadata> publish(PaymentRequest request) {
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, request.paymentId(), request), (md, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else {
                done.complete(md);
            }
        });
        return done;
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
