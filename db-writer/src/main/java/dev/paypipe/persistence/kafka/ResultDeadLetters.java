package dev.paypipe.persistence.kafka;

import dev.paypipe.kafka.PaymentHeaders;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Publishes dead letters to {@code payment-results-dlq}: the original key, value and headers, plus
 * headers naming the error class, the reason, the origin ({@code topic-partition@offset}) and the time
 * (epoch millis). Shared by all consumer threads; the producer is thread-safe.
 */
public final class ResultDeadLetters implements AutoCloseable {
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Clock clock;

    public ResultDeadLetters(Producer<byte[], byte[]> producer, String topic, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.clock = clock;
    }

    /** Producer settings: every dead letter acknowledged by all in-sync replicas, no duplicates from retries. */
    /**
     * Sends and waits until every dead letter is acknowledged.
     *
     * @throws DeadLetterPublishException when any was not: the caller must not commit the offsets
     */
    public void publish(List<DeadLetter> letters) throws DeadLetterPublishException {
        if (letters.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(letters.size());
        for (DeadLetter letter : letters) {
            acks.add(producer.send(toRecord(letter)));
        }
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterPublishException("interrupted while publishing " + letters.size()
                    + " dead letters to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new DeadLetterPublishException("cannot publish " + letters.size() + " dead letters to " + topic
                    + ": " + (e.getCause() == null ? e : e.getCause()), e);
        }
    }

    ProducerRecord<byte[], byte[]> toRecord(DeadLetter letter) {
        var source = letter.record();
        RecordHeaders headers = new RecordHeaders();
        for (Header h : source.headers()) {
            headers.add(h);
        }
        PaymentHeaders.put(headers, PaymentHeaders.ERROR_CLASS, letter.errorClass());
        PaymentHeaders.put(headers, PaymentHeaders.ERROR_MESSAGE, letter.reason());
        PaymentHeaders.put(headers, PaymentHeaders.ORIGIN,
                source.topic() + "-" + source.partition() + "@" + source.offset());
        PaymentHeaders.put(headers, PaymentHeaders.DEAD_LETTERED_AT, clock.instant().toString());
        return new ProducerRecord<>(topic, null, source.key(), source.value(), headers);
    }

    @Override
    public void close() {
        producer.close();
    }

    /** Dead letters could not be acknowledged; the batch's offsets stay uncommitted and it is retried. */
    public static final class DeadLetterPublishException extends Exception {
        public DeadLetterPublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
