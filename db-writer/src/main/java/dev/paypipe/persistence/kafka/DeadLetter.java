package dev.paypipe.persistence.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A {@code payment-results} record that can never be written, and why.
 *
 * @param errorClass short machine-readable class, e.g. {@code MalformedResultException} or {@code SQLState-23514}
 * @param reason     human-readable detail for whoever inspects the dead-letter topic
 */
public record DeadLetter(ConsumerRecord<byte[], byte[]> record, String errorClass, String reason) {
}
