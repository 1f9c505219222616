package dev.paypipe.sim;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
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
    private final LongAdder pending = new LongAdder();

    SimulatorStats(ChargeLedger ledger) {
        this.ledger = ledger;
        for (int i = 0; i < MAX_STATUS; i++) {
            responses[i] = new LongAdder();
        }
        for (InjectedFault fault : InjectedFault.values()) {
            faults.put(fault, new LongAdder());
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

    /** Requests received but not yet answered (held by latency or a hang). */
    public long pending() {
        return pending.sum();
    }

    public Snapshot snapshot() {
        EnumMap<InjectedFault, Long> faultCounts = new EnumMap<>(InjectedFault.class);
        faults.forEach((fault, n) -> faultCounts.put(fault, n.sum()));
        return new Snapshot(chargeCalls(), lookupCalls(), chargeCallsDuringOutage(), responsesByStatus(),
                Collections.unmodifiableMap(faultCounts), pending());
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
            long pending) {
    }

    void chargeReceived() {
        chargeCalls.increment();
        pending.increment();
    }

    void lookupReceived() {
        lookupCalls.increment();
        pending.increment();
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
