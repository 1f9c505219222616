package dev.paypipe.sim;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What the simulated gateway has been asked and what it answered. Thread-safe, cheap to update. */
public final class SimulatorStats {
    private static final int MAX_STATUS = 600;

    private final ChargeLedger ledger;
    private final LongAdder chargeCalls = new LongAdder();
    private final LongAdder lookupCalls = new LongAdder();
    private final LongAdder chargeCallsDuringOutage = new LongAdder();
    private final LongAdder[] responses = new LongAdder[MAX_STATUS];
    private final EnumMap<InjectedFault, LongAdder> faults = new EnumMap<>(InjectedFault.class);
    private final EnumMap<LookupFault, LongAdder> lookupFaults = new EnumMap<>(LookupFault.class);
    /** Look-ups per key, kept apart from the ledger so that a look-up never creates a ledger entry. */
    private final ConcurrentHashMap<String, AtomicInteger> lookupsByKey = new ConcurrentHashMap<>();
    private final LongAdder pending = new LongAdder();
    private final LongAdder resets = new LongAdder();
    private final LongAdder dripping = new LongAdder();

    SimulatorStats(ChargeLedger ledger) {
        this.ledger = ledger;
        for (int i = 0; i < MAX_STATUS; i++) {
            responses[i] = new LongAdder();
        }
        for (InjectedFault fault : InjectedFault.values()) {
            faults.put(fault, new LongAdder());
        }
        for (LookupFault fault : LookupFault.values()) {
            lookupFaults.put(fault, new LongAdder());
        }
    }

    /** {@code POST /v1/charges} requests received. */
    public long chargeCalls() {
        return chargeCalls.sum();
    }

    /** {@code GET /v1/charges} requests received. */
    public long lookupCalls() {
        return lookupCalls.sum();
    }

    /** Charge requests that arrived during an outage. */
    public long chargeCallsDuringOutage() {
        return chargeCallsDuringOutage.sum();
    }

    /** Charge attempts received for one idempotency key (every attempt, whatever its fate). */
    public long chargeCallsFor(String idempotencyKey) {
        ChargeLedger.KeyState state = ledger.peek(idempotencyKey);
        return state == null ? 0 : state.attempts;
    }

    /** Responses sent, by HTTP status; only statuses seen at least once, in ascending order. */
    public Map<Integer, Long> responsesByStatus() {
        Map<Integer, Long> byStatus = new TreeMap<>();
        for (int i = 0; i < MAX_STATUS; i++) {
            long n = responses[i].sum();
            if (n > 0) {
                byStatus.put(i, n);
            }
        }
        return Collections.unmodifiableMap(byStatus);
    }

    /** Responses sent with this HTTP status. */
    public long responses(int status) {
        return status >= 0 && status < MAX_STATUS ? responses[status].sum() : 0;
    }

    /** Times this fault was injected. */
    public long faults(InjectedFault fault) {
        return faults.get(fault).sum();
    }

    /** Look-ups received for one idempotency key. */
    public long lookupCallsFor(String idempotencyKey) {
        AtomicInteger n = lookupsByKey.get(idempotencyKey);
        return n == null ? 0 : n.get();
    }

    /** Times this look-up fault was injected. */
    public long lookupFaults(LookupFault fault) {
        return lookupFaults.get(fault).sum();
    }

    /** Connections reset instead of answered ({@link InjectedFault#RESET_AFTER_CHARGE}). */
    public long resets() {
        return resets.sum();
    }

    /** Slow-drip responses still being written; drops to 0 when their clients read them all or go away. */
    public long dripping() {
        return dripping.sum();
    }

    /** Requests received but not yet answered (held by latency or a hang); a reset counts as an answer. */
    public long pending() {
        return pending.sum();
    }

    public Snapshot snapshot() {
        EnumMap<InjectedFault, Long> faultCounts = new EnumMap<>(InjectedFault.class);
        faults.forEach((fault, n) -> faultCounts.put(fault, n.sum()));
        EnumMap<LookupFault, Long> lookupFaultCounts = new EnumMap<>(LookupFault.class);
        lookupFaults.forEach((fault, n) -> lookupFaultCounts.put(fault, n.sum()));
        return new Snapshot(chargeCalls(), lookupCalls(), chargeCallsDuringOutage(), responsesByStatus(),
                Collections.unmodifiableMap(faultCounts), Collections.unmodifiableMap(lookupFaultCounts), resets(),
                pending());
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }

    /** A point-in-time copy of the counters. */
    public record Snapshot(
            long chargeCalls,
            long lookupCalls,
            long chargeCallsDuringOutage,
            Map<Integer, Long> responsesByStatus,
            Map<InjectedFault, Long> faults,
            Map<LookupFault, Long> lookupFaults,
            long resets,
            long pending) {
    }

    void chargeReceived() {
        chargeCalls.increment();
        pending.increment();
    }

    /** Counts a look-up and returns its number for this key (1 for the first). */
    int lookupReceived(String idempotencyKey) {
        lookupCalls.increment();
        pending.increment();
        return lookupsByKey.computeIfAbsent(idempotencyKey, k -> new AtomicInteger()).incrementAndGet();
    }

    void lookupReceivedWithoutKey() {
        lookupCalls.increment();
        pending.increment();
    }

    void lookupFaultInjected(LookupFault fault) {
        lookupFaults.get(fault).increment();
    }

    void reset() {
        pending.decrement();
        resets.increment();
    }

    void dripStarted() {
        dripping.increment();
    }

    void dripEnded() {
        dripping.decrement();
    }

    void otherReceived() {
        pending.increment();
    }

    void duringOutage() {
        chargeCallsDuringOutage.increment();
    }

    void faultInjected(InjectedFault fault) {
        faults.get(fault).increment();
    }

    void responded(int status) {
        pending.decrement();
        if (status >= 0 && status < MAX_STATUS) {
            responses[status].increment();
        }
    }
}
