package dev.paypipe.processing;

import dev.paypipe.model.PaymentResult;
import java.time.Duration;
import java.time.Instant;

/**
 * What the worker must do with a payment after an attempt or a look-up: publish its final result,
 * retry later, or charge again now.
 */
public sealed interface Decision {

    /**
     * Publish {@code result}; when {@code deadLetter} is non-null, also dead-letter the original record
     * with that error class and message.
     */
    record Finish(PaymentResult result, DeadLetterReason deadLetter) implements Decision {
    }

    /** Send the request to the retry tier {@code tier}; it must not run before {@code dueAt}. */
    record Retry(AttemptHistory history, Duration tier, Instant dueAt, String lastMessage) implements Decision {
    }

    /**
     * The gateway holds no charge for the idempotency key: charge again now, with the same key, and
     * count it as the next attempt of {@code history}. The history is no longer ambiguous when the
     * look-up proved that no earlier attempt charged (it was sent after the ambiguous call's deadline).
     */
    record ChargeAgain(AttemptHistory history) implements Decision {
    }

    /** Why a record goes to the dead-letter topic. */
    record DeadLetterReason(String errorClass, String message, int attempts) {
    }
}
