package dev.paypipe.sim;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.LongAdder;

/**
 * The simulated gateway's books: every completed charge per idempotency key, and how many times money
 * moved for each key. This is the source of truth for "charged twice": {@link #chargedTwice()} must be
 * 0 whatever the client does. Thread-safe.
 */
public final class ChargeLedger {
    private final ConcurrentHashMap<String, KeyState> states = new ConcurrentHashMap<>(1 << 16);
    private final LongAdder approvedCharges = new LongAdder();
    private final LongAdder completedKeys = new LongAdder();
    private final LongAdder keysChargedTwice = new LongAdder();
    private final LongAdder replays = new LongAdder();

    /** Times an approved charge was created for this key; 0 or 1 unless the simulator is broken. */
    public int chargesFor(String idempotencyKey) {
        KeyState state = states.get(idempotencyKey);
        return state == null ? 0 : state.approvals;
    }

    /** Number of keys that were charged more than once. */
    public long chargedTwice() {
        return keysChargedTwice.sum();
    }

    /**
     * Charge calls for a key that already had its outcome, answered from the books (an idempotent replay:
     * no money moved, but the call was made twice). 0 for a client that never re-sends a finished payment.
     */
    public long replays() {
        return replays.sum();
    }

    /** Approved charges, i.e. times money moved. */
    public long totalCharges() {
        return approvedCharges.sum();
    }

    /** Distinct keys with a completed outcome (approved or declined). */
    public long keys() {
        return completedKeys.sum();
    }

    /** The completed charge for this key, if any; in-flight and swallowed attempts are not charges. */
    public Optional<StoredCharge> find(String idempotencyKey) {
        KeyState state = states.get(idempotencyKey);
        Outcome outcome = state == null ? null : state.outcome;
        return outcome == null ? Optional.empty() : Optional.of(outcome.charge());
    }

    /**
     * The amount of the key's approved charge, exactly as the client sent it on the attempt that charged;
     * empty when the key was never charged (unknown, in flight, swallowed or declined).
     */
    public Optional<BigDecimal> chargedAmount(String idempotencyKey) {
        return find(idempotencyKey).filter(StoredCharge::approved).map(c -> new BigDecimal(c.amount()));
    }

    /** The keys with an approved charge, i.e. every key money moved for; a snapshot. */
    public Set<String> chargedKeys() {
        Set<String> charged = new HashSet<>();
        states.forEach((key, state) -> {
            Outcome outcome = state.outcome;
            if (outcome != null && outcome.charge().approved()) {
                charged.add(key);
            }
        });
        return charged;
    }

    /**
     * Keys charged an amount other than the one first published for them (compared as numbers, so
     * {@code 12.5} equals {@code 12.50}); a charged key missing from {@code firstPublished} counts too,
     * since nobody asked for that charge. Must be 0.
     */
    public long chargedWrongAmount(Map<String, BigDecimal> firstPublished) {
        long wrong = 0;
        for (Map.Entry<String, KeyState> entry : states.entrySet()) {
            Outcome outcome = entry.getValue().outcome;
            if (outcome == null || !outcome.charge().approved()) {
                continue;
            }
            BigDecimal published = firstPublished.get(entry.getKey());
            if (published == null || published.compareTo(new BigDecimal(outcome.charge().amount())) != 0) {
                wrong++;
            }
        }
        return wrong;
    }

    @Override
    public String toString() {
        return "ChargeLedger[keys=" + keys() + ", totalCharges=" + totalCharges() + ", chargedTwice="
                + chargedTwice() + ", replays=" + replays() + "]";
    }

    KeyState state(String idempotencyKey) {
        return states.computeIfAbsent(idempotencyKey, k -> new KeyState());
    }

    void replayed() {
        replays.increment();
    }

    KeyState peek(String idempotencyKey) {
        return states.get(idempotencyKey);
    }

    /** Records the outcome of the attempt that holds the key's in-flight slot, then frees the slot. */
    void complete(KeyState state, Outcome outcome) {
        if (state.outcome == null) {
            completedKeys.increment();
        }
        if (outcome.charge().approved()) {
            approvedCharges.increment();
            if (KeyState.APPROVALS.incrementAndGet(state) == 2) {
                keysChargedTwice.increment();
            }
        }
        // Publish the outcome before freeing the slot: a racing attempt that wins the slot next must see it.
        state.outcome = outcome;
        state.inFlight = 0;
    }

    /** The first completed outcome of a key, with the exact response every replay gets. */
    record Outcome(StoredCharge charge, int httpStatus, byte[] body) {
    }

    /** Per-key state; field updaters keep it to one small object per key. */
    static final class KeyState {
        static final AtomicIntegerFieldUpdater<KeyState> ATTEMPTS =
                AtomicIntegerFieldUpdater.newUpdater(KeyState.class, "attempts");
        static final AtomicIntegerFieldUpdater<KeyState> IN_FLIGHT =
                AtomicIntegerFieldUpdater.newUpdater(KeyState.class, "inFlight");
        static final AtomicIntegerFieldUpdater<KeyState> APPROVALS =
                AtomicIntegerFieldUpdater.newUpdater(KeyState.class, "approvals");

        volatile int attempts;
        volatile int inFlight;
        volatile int approvals;
        volatile Outcome outcome;

        int nextAttempt() {
            return ATTEMPTS.incrementAndGet(this);
        }

        boolean tryAcquire() {
            return IN_FLIGHT.compareAndSet(this, 0, 1);
        }

        void release() {
            inFlight = 0;
        }
    }
}
