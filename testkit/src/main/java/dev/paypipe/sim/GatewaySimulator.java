package dev.paypipe.sim;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.impl.bootstrap.AsyncServerBootstrap;
import org.apache.hc.core5.http.impl.bootstrap.HttpAsyncServer;
import org.apache.hc.core5.http.nio.support.BasicServerExchangeHandler;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.reactor.ListenerEndpoint;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real HTTP server speaking the gateway contract ({@code POST /v1/charges}, {@code GET /v1/charges}),
 * with configurable latency, declines, faults and outages, and a {@link ChargeLedger} that proves
 * nothing was charged twice. Non-blocking: HttpCore 5 I/O reactor (one thread per core) plus one
 * timer thread that sends delayed responses in 1 ms batches; no thread is held per request.
 * Faults and mixes: {@link InjectedFault}, {@link LookupFault}, {@link OutageMode}, {@link FaultMix}.
 *
 * <pre>{@code
 * try (GatewaySimulator gateway = GatewaySimulator.start(SimulatorConfig.builder().declineRate(0.1).build())) {
 *     URI base = gateway.baseUri(); // http://127.0.0.1:PORT
 *     ...
 *     assertThat(gateway.ledger().chargedTwice()).isZero();
 * }
 * }</pre>
 */
public final class GatewaySimulator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewaySimulator.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final HttpAsyncServer server;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ChargeLedger ledger;
    private final SimulatorStats stats;
    private final OutageSchedule outages;
    private final InetSocketAddress address;
    private volatile SimulatorConfig config;

    private GatewaySimulator(SimulatorConfig config, InetSocketAddress bindAddress, Clock clock, LongSupplier nanoClock) {
        this.config = Objects.requireNonNull(config, "config");
        this.ledger = new ChargeLedger();
        this.stats = new SimulatorStats(ledger);
        this.outages = new OutageSchedule(nanoClock);
        this.scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("gateway-sim-delay"));
        ConnectionRegistry connections = new ConnectionRegistry();
        ChargeHandler handler = new ChargeHandler(() -> this.config, ledger, stats, outages,
                new ResponseTimer(scheduler, nanoClock), connections, clock);
        IOReactorConfig reactor = IOReactorConfig.custom()
                .setIoThreadCount(Runtime.getRuntime().availableProcessors())
                .setSoReuseAddress(true)
                .setTcpNoDelay(true)
                .setBacklogSize(4096)
                // idle keep-alive connections and hung requests must outlive the longest hangTime
                .setSoTimeout(Timeout.of(SimulatorConfig.MAX_HANG_TIME.multipliedBy(2)))
                .build();
        this.server = AsyncServerBootstrap.bootstrap()
                .setIOReactorConfig(reactor)
                .setIOSessionListener(connections)
                // one handler for every request, whatever the Host header (a virtual-host router answers
                // 421 when the client names the server differently from its canonical host name)
                .setRequestRouter((request, context) -> () -> new BasicServerExchangeHandler<>(handler))
                .create();
        try {
            server.start();
            ListenerEndpoint endpoint = server.listen(bindAddress, URIScheme.HTTP)
                    .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            this.address = (InetSocketAddress) endpoint.getAddress();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly();
            throw new IllegalStateException("interrupted while starting the gateway simulator on " + bindAddress, e);
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly();
            throw new IllegalStateException("gateway simulator could not listen on " + bindAddress
                    + " (port in use? pass 0 for a free port)", e);
        }
        log.info("gateway simulator listening on {} with {}", baseUri(), config);
    }

    /** Starts on a free loopback port. */
    public static GatewaySimulator start(SimulatorConfig config) {
        return start(config, 0);
    }

    /** Starts on a loopback port; 0 picks a free one. */
    public static GatewaySimulator start(SimulatorConfig config, int port) {
        return start(config, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** Starts on any address, e.g. {@code 0.0.0.0:8099} inside a container. */
    public static GatewaySimulator start(SimulatorConfig config, InetSocketAddress bindAddress) {
        return new GatewaySimulator(config, bindAddress, Clock.systemUTC(), System::nanoTime);
    }

    /**
     * Starts on a free loopback port with every time decision (latency, hangs, drips, outage windows, charge
     * stamps) read from {@code clock}: a test that advances a fake clock releases held responses without
     * waiting. The timer still looks at the clock every millisecond of real time.
     */
    public static GatewaySimulator start(SimulatorConfig config, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return new GatewaySimulator(config, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), clock,
                () -> epochNanos(clock.instant()));
    }

    private static long epochNanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /** {@code http://HOST:PORT}, without a trailing slash. */
    public URI baseUri() {
        String host = address.getAddress().isAnyLocalAddress()
                ? InetAddress.getLoopbackAddress().getHostAddress()
                : address.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort());
    }

    public int port() {
        return address.getPort();
    }

    public ChargeLedger ledger() {
        return ledger;
    }

    public SimulatorStats stats() {
        return stats;
    }

    /** The configuration in force right now. */
    public SimulatorConfig config() {
        return config;
    }

    /**
     * Swaps latency, declines, faults, outage windows and API key at runtime; requests already received
     * keep the settings they started with. Outage windows stay relative to the original start.
     */
    public synchronized void updateConfig(SimulatorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        log.info("gateway simulator reconfigured: {}", config);
    }

    /**
     * Changes some settings and keeps the rest, e.g. {@code gateway.updateConfig(b -> b.serverErrorRate(0.2))};
     * atomic with respect to other updates.
     */
    public synchronized void updateConfig(UnaryOperator<SimulatorConfig.Builder> change) {
        updateConfig(change.apply(config.toBuilder()).build());
    }

    /** Every charge gets the outage treatment ({@link SimulatorConfig#outageMode()}) for {@code length}. */
    public void beginOutage(Duration length) {
        requireLength(length);
        outages.begin(length, null);
        log.info("gateway simulator outage begins for {} ms", length.toMillis());
    }

    /** An outage from now for {@code length} in {@code mode}, e.g. 10 s of {@link OutageMode#HANG}. */
    public void beginOutage(Duration length, OutageMode mode) {
        requireLength(length);
        outages.begin(length, Objects.requireNonNull(mode, "mode"));
        log.info("gateway simulator outage begins for {} ms in mode {}", length.toMillis(), mode);
    }

    /**
     * Outage windows relative to now (not to the start), e.g.
     * {@code gateway.scheduleOutages(FaultMix.hostileOutages(Duration.ZERO, Duration.ofSeconds(5)))}.
     */
    public void scheduleOutages(List<OutageWindow> windows) {
        outages.schedule(List.copyOf(windows));
        log.info("gateway simulator outages scheduled from now: {}", windows);
    }

    private static void requireLength(Duration length) {
        if (length == null || length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("outage length must be > 0, got " + length);
        }
    }

    /**
     * Ends the runtime outage and any window (scripted or scheduled) open now; later windows still happen.
     * Requests already hanging keep hanging until their own deadline.
     */
    public void endOutage() {
        outages.end(config);
        log.info("gateway simulator outage ended");
    }

    public boolean inOutage() {
        return outages.active(config);
    }

    /** Stops at once: held (latency, hang) responses are dropped and their connections closed. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        server.close(CloseMode.IMMEDIATE);
        log.info("gateway simulator on port {} stopped; {}; {}", address == null ? -1 : address.getPort(), ledger,
                stats.snapshot());
    }

    @Override
    public String toString() {
        return "GatewaySimulator[" + (address == null ? "not listening" : baseUri()) + ", " + config + "]";
    }

    private void closeQuietly() {
        scheduler.shutdownNow();
        server.close(CloseMode.IMMEDIATE);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
