package dev.paypipe.sim;

/**
 * Deterministic randomness: every decision is a hash of the seed, the idempotency key and (for faults)
 * the attempt number, so a run is reproducible whatever the thread interleaving.
 */
final class Dice {
    private static final long DECLINE_SALT = 0x5DEECE66DL;
    private static final long FAULT_SALT = 0x9E3779B97F4A7C15L;
    private static final long ID_SALT = 0xC2B2AE3D27D4EB4FL;

    private Dice() {
    }

    static boolean declined(SimulatorConfig config, String key) {
        return config.declineRate() > 0 && unit(mix(config.seed() ^ DECLINE_SALT, key, 0)) < config.declineRate();
    }

    /** The fault for this attempt, or {@code null} for a normal one; rates are stacked in enum order. */
    static InjectedFault fault(SimulatorConfig config, String key, int attempt) {
        double u = unit(mix(config.seed() ^ FAULT_SALT, key, attempt));
        double edge = config.timeoutBeforeChargeRate();
        if (u < edge) {
            return InjectedFault.TIMEOUT_BEFORE_CHARGE;
        }
        edge += config.timeoutAfterChargeRate();
        if (u < edge) {
            return InjectedFault.TIMEOUT_AFTER_CHARGE;
        }
        edge += config.serverErrorRate();
        if (u < edge) {
            return InjectedFault.SERVER_ERROR;
        }
        edge += config.rateLimitRate();
        if (u < edge) {
            return InjectedFault.RATE_LIMIT;
        }
        edge += config.unavailableRate();
        if (u < edge) {
            return InjectedFault.UNAVAILABLE;
        }
        return null;
    }

    /** {@code ch_} and 16 hex digits, stable for a seed and key. */
    static String chargeId(long seed, String key) {
        String hex = Long.toHexString(mix(seed ^ ID_SALT, key, 0));
        StringBuilder id = new StringBuilder(19).append("ch_");
        for (int i = hex.length(); i < 16; i++) {
            id.append('0');
        }
        return id.append(hex).toString();
    }

    private static long mix(long seed, String key, int attempt) {
        long h = 0xcbf29ce484222325L ^ seed; // FNV-1a, 64 bit
        for (int i = 0, n = key.length(); i < n; i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        return finish(h + attempt * 0x9E3779B97F4A7C15L);
    }

    private static long finish(long z) { // SplitMix64 finaliser
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double unit(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }
}
