package dev.paypipe.persistence.bench;

import java.util.OptionalDouble;

/** One timed phase: {@code rows} ingested in {@code nanos} of wall time, using {@code cpu}. */
record Measurement(long rows, long nanos, CpuMeter.Sample cpu) {
    double rowsPerSec() {
        return rows / (nanos / 1e9);
    }

    /** CPU of this JVM (the db-writer and the in-process broker) per row, µs. */
    double jvmCpuMicrosPerRow() {
        return cpu.jvmNanos() / 1e3 / rows;
    }

    /** CPU of the db-writer's consumer threads per row, µs. */
    double consumerThreadsCpuMicrosPerRow() {
        return cpu.consumerThreadsNanos() / 1e3 / rows;
    }

    /** CPU of the PostgreSQL server per row, µs; empty when its processes cannot be read. */
    OptionalDouble postgresCpuMicrosPerRow() {
        return cpu.postgresNanos().isPresent() ? OptionalDouble.of(cpu.postgresNanos().getAsLong() / 1e3 / rows)
                : OptionalDouble.empty();
    }
}
