package dev.paypipe.processing;

/**
 * What earlier attempts of a payment left behind, carried in retry record headers.
 *
 * @param attempts gateway attempts made so far (0 for a fresh request)
 * @param ambiguous whether any earlier attempt may have charged (so a look-up must come first)
 * @param firstErrorClass error class of the first failed attempt, or null
 * @param lastErrorClass error class of the latest failed attempt, or null
 */
public record AttemptHistory(int attempts, boolean ambiguous, String firstErrorClass, String lastErrorClass) {

    public static final AttemptHistory FRESH = new AttemptHistory(0, false, null, null);

    /** The history after one more failed attempt of class {@code errorClass}. */
    public AttemptHistory failed(String errorClass, boolean mayHaveCharged) {
        return new AttemptHistory(attempts + 1, ambiguous || mayHaveCharged,
                firstErrorClass == null ? errorClass : firstErrorClass, errorClass);
    }
}
