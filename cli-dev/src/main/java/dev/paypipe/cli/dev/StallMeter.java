package dev.paypipe.cli.dev;

/**
 * The longest interval with no new result while requests were waiting and the gateway was up: how
 * long the pipeline froze when it had work it could do. Fed by periodic samples; time is passed in.
 */
public final class StallMeter {
    private long lastProgress = -1;
    private long sinceNanos;
    private long maxNanos;

    /**
     * @param nowNanos the sample's time
     * @param progress a counter that grows with every result
     * @param waiting requests are waiting to be processed (not ones parked until a retry is due)
     * @param gatewayUp the gateway is answering (not in an outage)
     */
    public void sample(long nowNanos, long progress, boolean waiting, boolean gatewayUp) {
        // Before the first result the pipeline is starting (group joins, JIT), which is not a stall.
        if (progress == 0 || progress != lastProgress || !waiting || !gatewayUp) {
            lastProgress = progress;
            sinceNanos = nowNanos;
            return;
        }
        maxNanos = Math.max(maxNanos, nowNanos - sinceNanos);
    }

    public double maxSeconds() {
        return Math.round(maxNanos / 1_000_000.0) / 1000.0;
    }
}
