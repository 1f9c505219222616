package dev.paypipe.cli.dev.bench;

/**
 * How big each scenario runs: {@link #full()} is the real bench (all scenarios in under 12 minutes on 2 cores),
 * {@link #smoke()} runs every code path in seconds so a test can check the report's shape. Times in seconds.
 *
 * @param partitions partitions of every pipeline topic (the baseline runs this many consumers)
 * @param dbConnections C: db-writer consumers = database connection cap, and the COPY ceiling's connections
 * @param kafkaRecords records of the raw Kafka ceiling
 * @param gatewaySeconds measured seconds of the raw simulator ceiling (after as many warm-up seconds)
 * @param copyRows rows of the raw COPY ceiling
 * @param warmUpSeconds seconds at the search's start rate before any step counts (JIT, group joins)
 * @param startRate the search's first step, payments/s
 * @param maxRate the search stops raising here
 * @param stepSeconds length of a ramp step
 * @param bisections bisection steps between the last sustained and the first unbounded rate
 * @param bisectSeconds length of a bisection step
 * @param latencySeconds measured seconds of the latency scenario (after {@code warmUpSeconds})
 * @param fixedRate the fixed load of the outage and faults scenarios, payments/s
 * @param outageSeconds the gateway outage
 * @param loadSeconds seconds of load before the outage, and of each phase of the faults scenario
 * @param dbWriterRows rows of the db-writer scenario
 * @param baselineSeconds measured seconds of the blocking baseline
 */
public record BenchSizes(int partitions, int dbConnections, int kafkaRecords, int gatewaySeconds, int copyRows,
        int warmUpSeconds, int startRate, int maxRate, int stepSeconds, int bisections, int bisectSeconds,
        int latencySeconds, int fixedRate, int outageSeconds, int loadSeconds, int dbWriterRows,
        int baselineSeconds) {

    /** The bench as {@code paypipe bench} runs it. */
    public static BenchSizes full() {
        return new BenchSizes(8, 2, 300_000, 5, 200_000, 6, 1000, 40_000, 8, 3, 10, 20, 1000, 30, 10, 200_000, 10);
    }

    /** Tiny sizes: every scenario's code path in a few seconds; the figures mean nothing. */
    public static BenchSizes smoke() {
        return new BenchSizes(2, 2, 2_000, 1, 2_000, 1, 100, 100, 1, 0, 1, 1, 100, 2, 1, 40_000, 1);
    }

    /** These sizes with C database connections and the db-writer scenario's row count replaced. */
    public BenchSizes withDbWriter(int connections, int rows) {
        return new BenchSizes(partitions, connections, kafkaRecords, gatewaySeconds, copyRows, warmUpSeconds,
                startRate, maxRate, stepSeconds, bisections, bisectSeconds, latencySeconds, fixedRate, outageSeconds,
                loadSeconds, rows, baselineSeconds);
    }
}
