package dev.paypipe.processing;

import java.time.Instant;

/**
 * What earlier attempts of a payment left behind, carried in retry record headers.
 *
 * @param attempts gateway attempts made so far (0 for a fresh request)
 * @param ambiguous whether any earlier attempt may have charged (so a look-up must come first)
 * @param firstErrorClass error class of the first failed attempt, or null
 * @param lastErrorClass error class of the latest failed attempt, or null
 * @param ambiguousUntil when ambiguous: the deadline of the latest ambiguous call (its send plus
 *     {@code gateway.response-timeout}, never before its answer); a look-up sent at or after it that
 *     answers 404 proves that no earlier attempt charged. Null when not ambiguous, or when unknown
 *     (records written before this header existed): then a 404 proves nothing
 */
public record AttemptHistory(int attempts, boolean ambiguous, String firstErrorClass, String lastErrorClass,
        Instant ambiguousUntil) {

    public static final AttemptHistory FRESH = new AttemptHistory(0, false, null, null, null);

    public AttemptHistory {
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must be >= 0, was " + attempts);
        }
        if (!ambiguous) {
            ambiguousUntil = null;
        }
    }

    /** A history without a known ambiguity deadline. */
    public AttemptHistory(int attempts, boolean ambiguous, String firstErrorClass, String lastErrorClass) {
        this(attempts, ambiguous, firstErrorClass, lastErrorClass, null);
    }

    /** The history after one more failed attempt that certainly did not charge (or a failed look-up). */
    public AttemptHistory failed(String errorClass) {
        return new AttemptHistory(attempts + 1, ambiguous, first(errorClass), errorClass, ambiguousUntil);
    }

    /**
     * The history after one more attempt that may have charged, whose call could still land at the
     * gateway until {@code deadline}. Every earlier call was sent before this one, so the latest
     * deadline covers them all.
     */
    public AttemptHistory failedAmbiguously(String errorClass, Instant deadline) {
        Instant until = ambiguousUntil == null || deadline.isAfter(ambiguousUntil) ? deadline : ambiguousUntil;
        return new AttemptHistory(attempts + 1, true, first(errorClass), errorClass, until);
    }

    /** Whether a look-up sent at {@code lookupSentAt} that found no charge proves no earlier attempt charged. */
    public boolean notFoundProvesNoCharge(Instant lookupSentAt) {
        return !ambiguous || (ambiguousUntil != null && !lookupSentAt.isBefore(ambiguousUntil));
    }

    /** The same attempts, no longer ambiguous: a look-up after the deadline found no charge. */
    public AttemptHistory provenUncharged() {
        return new AttemptHistory(attempts, false, firstErrorClass, lastErrorClass, null);
    }

    private String first(String errorClass) {
        return firstErrorClass == null ? errorClass : firstErrorClass;
    }
}
