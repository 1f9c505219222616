package dev.paypipe.json;

/** A {@code payment-results} record that does not follow the PaymentResult contract. */
public class MalformedResultException extends RuntimeException {
    public MalformedResultException(String message) {
        super(message);
    }

    public MalformedResultException(String message, Throwable cause) {
        super(message, cause);
    }
}
