package dev.paypipe.sim;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Raw request rate of the {@link GatewaySimulator} over loopback. Not a test (no assertions, not run by
 * the build): a closed-loop load of N keep-alive connections, each sending a fresh charge as soon as
 * the previous response arrives, driven by one NIO selector thread so the client costs as little CPU
 * as possible. Every request is a new idempotency key, so each one is a real charge in the ledger.
 *
 * <pre>
 * mvn -B -q -o -pl testkit install -DskipTests
 * java -cp "$(cat testkit/target/bench.cp):testkit/target/classes:testkit/target/test-classes" \
 *     dev.paypipe.sim.SimulatorThroughputBench [connections=256] [seconds=10] [latenciesMs=0,50]
 * </pre>
 */
public final class SimulatorThroughputBench {
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws IOException {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        // server CPU per request is the figure that survives a shared, busy machine: capacity ~ cores / it

        String latencies = args.length > 2 ? args[2] : "0,50";
        System.out.printf("cores=%d connections=%d measure=%ds (after %ds warm-up)%n",
                Runtime.getRuntime().availableProcessors(), connections, seconds, warmUpSeconds(seconds));
        for (String latencyMs : latencies.split(",")) {
            SimulatorConfig config = SimulatorConfig.builder()
                    .latency(Duration.ofMillis(Long.parseLong(latencyMs.trim())))
                    .declineRate(0.1)
                    .build();
            try (GatewaySimulator gateway = GatewaySimulator.start(config)) {
                Result warm = new LoadRun(gateway.port(), connections, "w" + latencyMs).run(warmUpSeconds(seconds));
                long cpuBefore = PROCESS.getProcessCpuTime();
                long clientCpuBefore = THREADS.getCurrentThreadCpuTime();
                Result result = new LoadRun(gateway.port(), connections, "m" + latencyMs).run(seconds);
                long clientCpu = THREADS.getCurrentThreadCpuTime() - clientCpuBefore;
                long serverCpu = PROCESS.getProcessCpuTime() - cpuBefore - clientCpu;
                System.out.printf("latency=%sms  %,.0f req/s  server CPU %.1f us/req, client CPU %.1f us/req"
                                + "  p50=%.2fms p99=%.2fms max=%.2fms  statuses=%s"
                                + "  (warm-up %,.0f req/s)  ledger: charges=%d chargedTwice=%d%n",
                        latencyMs.trim(), result.perSecond(), serverCpu / 1e3 / result.responses(),
                        clientCpu / 1e3 / result.responses(), result.latency.getValueAtPercentile(50) / 1e6,
                        result.latency.getValueAtPercentile(99) / 1e6, result.latency.getMaxValue() / 1e6,
                        result.statuses, warm.perSecond(), gateway.ledger().totalCharges(),
                        gateway.ledger().chargedTwice());
            }
        }
    }

    private static int warmUpSeconds(int seconds) {
        return Math.max(5, seconds / 2);
    }

    record Result(long responses, double elapsedSeconds, Histogram latency, Map<Integer, Long> statuses) {
        double perSecond() {
            return responses / elapsedSeconds;
        }
    }

    /** One closed-loop run; all connections share one selector thread. */
    private static final class LoadRun {
        private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

        private final int port;
        private final int connections;
        private final String keyPrefix;
        private final Histogram latency = new Histogram(3_600_000_000_000L, 3);
        private final Map<Integer, Long> statuses = new TreeMap<>();
        private long sequence;
        private long responses;

        LoadRun(int port, int connections, String keyPrefix) {
            this.port = port;
            this.connections = connections;
            this.keyPrefix = keyPrefix;
        }

        Result run(int seconds) throws IOException {
            try (Selector selector = Selector.open()) {
                for (int i = 0; i < connections; i++) {
                    SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    channel.configureBlocking(false);
                    Conn conn = new Conn(channel);
                    conn.key = channel.register(selector, SelectionKey.OP_READ, conn);
                    send(conn);
                }
                long start = System.nanoTime();
                long end = start + Duration.ofSeconds(seconds).toNanos();
                while (System.nanoTime() < end) {
                    selector.select(100);
                    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                    while (it.hasNext()) {
                        SelectionKey key = it.next();
                        it.remove();
                        Conn conn = (Conn) key.attachment();
                        if (key.isWritable()) {
                            flush(conn);
                        }
                        if (key.isReadable()) {
                            read(conn);
                        }
                    }
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                for (SelectionKey key : selector.keys()) {
                    key.channel().close();
                }
                return new Result(responses, elapsed, latency, statuses);
            }
        }

        private void send(Conn conn) throws IOException {
            String id = keyPrefix + "-" + (sequence++);
            String body = "{\"paymentId\":\"" + id + "\",\"amount\":\"12.50\",\"currency\":\"EUR\","
                    + "\"customerId\":\"cus_1\",\"paymentMethod\":\"tok_visa_4242424242\"}";
            String request = "POST /v1/charges HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nContent-Type: application/json\r\nAuthorization: Bearer " + SimulatorConfig.DEFAULT_API_KEY
                    + "\r\nIdempotency-Key: " + id + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
            conn.out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            conn.sentAt = System.nanoTime();
            flush(conn);
        }

        private void flush(Conn conn) throws IOException {
            conn.channel.write(conn.out);
            conn.key.interestOps(conn.out.hasRemaining()
                    ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        private void read(Conn conn) throws IOException {
            if (conn.channel.read(conn.in) < 0) {
                throw new IOException("server closed a connection after " + responses + " responses");
            }
            int headerEnd = indexOf(conn.in, HEADER_END);
            if (headerEnd < 0) {
                return;
            }
            String head = new String(conn.in.array(), 0, headerEnd, StandardCharsets.US_ASCII);
            int total = headerEnd + 4 + contentLength(head);
            if (conn.in.position() < total) {
                return;
            }
            latency.recordValue(System.nanoTime() - conn.sentAt);
            statuses.merge(Integer.parseInt(head.substring(9, 12)), 1L, Long::sum);
            responses++;
            conn.in.clear();
            send(conn);
        }

        private static int contentLength(String head) {
            int at = head.toLowerCase(java.util.Locale.ROOT).indexOf("content-length:");
            if (at < 0) {
                return 0;
            }
            int eol = head.indexOf('\r', at);
            return Integer.parseInt(head.substring(at + 15, eol < 0 ? head.length() : eol).trim());
        }

        private static int indexOf(ByteBuffer buffer, byte[] needle) {
            byte[] a = buffer.array();
            for (int i = 0, n = buffer.position() - needle.length; i <= n; i++) {
                if (a[i] == needle[0] && a[i + 1] == needle[1] && a[i + 2] == needle[2] && a[i + 3] == needle[3]) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static final class Conn {
        final SocketChannel channel;
        final ByteBuffer in = ByteBuffer.allocate(8192);
        ByteBuffer out;
        SelectionKey key;
        long sentAt;

        Conn(SocketChannel channel) {
            this.channel = channel;
        }
    }
}
