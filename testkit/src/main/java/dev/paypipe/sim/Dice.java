package dev.paypipe.sim;

/**
 * Deterministic randomness: every decision is a hash of the seed, the idempotency key and (for faults)
 * the attempt number, so a run is reproducible whatever the thread interleaving.
 */
final class Dice {
    private static final long DECLINE_SALT = 0x5DEECE66DL;
    private static final long FAULT_SALT = 0x9E3779B97F4A7C15L;
    private static final long ID_SALT = 0xC2B2AE3D27D4EB4FL;
    private static final long LOOKUP_SALT = 0x165667B19E3779F9L;
    private static final long VARIANT_SALT = 0x27D4EB2F165667C5L;

    private Dice() {
    }

    static boolean declined(SimulatorConfig config, String key) {
        return config.declineRate() > 0 && unit(mix(config.seed() ^ DECLINE_SALT, key, 0)) < config.declineRate();
    }

    /** The fault for this attempt, or {@code null} for a normal one; rates are stacked in enum order. */
    static InjectedFault fault(SimulatorConfig config, String key, int attempt) {
        double u = unit(mix(config.seed() ^ FAULT_SALT, key, attempt));
        double edge = 0;
        for (InjectedFault fault : InjectedFault.values()) {
            edge += config.faultRate(fault);
            if (u < edge) {
                return fault;
            }
        }
        return null;
    }

    /** The fault for the {@code lookup}-th look-up of a key, or {@code null}; stacked in enum order. */
    static LookupFault lookupFault(SimulatorConfig config, String key, int lookup) {
        double u = unit(mix(config.seed() ^ LOOKUP_SALT, key, lookup));
        double edge = 0;
        for (LookupFault fault : LookupFault.values()) {
            edge += config.lookupFaultRate(fault);
            if (u < edge) {
                return fault;
            }
        }
        return null;
    }

    /** One of {@code n} variants of a fault, stable for a seed, key and attempt. */
    static int variant(SimulatorConfig config, String key, int attempt, int n) {
        return (int) ((mix(config.seed() ^ VARIANT_SALT, key, attempt) >>> 1) % n);
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
