package dev.paypipe.ledger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.paypipe.model.PaymentRequestValidator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /payments/{id}}: the payment's state from the ledger's store by interactive query. The instance that
 * owns the key's partition answers; any other instance proxies the GET to it (once: a proxied request that lands on a
 * non-owner, mid-rebalance, gets 503). 404 when the ledger has no entry, 503 while the store is not queryable.
 */
final class LedgerStatusServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LedgerStatusServer.class);
    static final String FORWARDED = "X-Paypipe-Forwarded";
    private static final String PREFIX = "/payments/";

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private volatile KafkaStreams streams;
    private volatile HostInfo self;

    LedgerStatusServer(String host, int port) {
        try {
            this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the ledger status endpoint to " + host + ":" + port
                    + " (ledger.http-host, ledger.http-port): " + e.getMessage(), e);
        }
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "paypipe-ledger-http");
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        server.setExecutor(executor);
        server.createContext(PREFIX, this::handle);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Starts answering; {@code self} is this instance's {@code application.server}. */
    void start(KafkaStreams kafkaStreams, HostInfo selfInfo) {
        this.streams = kafkaStreams;
        this.self = selfInfo;
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                send(exchange, 405, LedgerStatusJson.error(null, "only GET is supported"));
                return;
            }
            String id = exchange.getRequestURI().getPath().substring(PREFIX.length());
            if (!PaymentRequestValidator.isValidPaymentId(id)) {
                send(exchange, 400, LedgerStatusJson.error(null, "not a paymentId: expected 1-64 characters of "
                        + "[A-Za-z0-9._:-]"));
                return;
            }
            Answer answer = answer(id, exchange.getRequestHeaders().containsKey(FORWARDED));
            send(exchange, answer.status, answer.body);
        } catch (RuntimeException e) {
            log.atWarn().setMessage("status request failed").addKeyValue("event", "ledger_status_failed")
                    .addKeyValue("error", e.toString()).log();
        }
    }

    record Answer(int status, byte[] body) {
    }

    Answer answer(String id, boolean forwarded) {
        KafkaStreams s = streams;
        if (s == null) {
            return new Answer(503, LedgerStatusJson.error(id, "ledger is starting; retry"));
        }
        try {
            KeyQueryMetadata md = s.queryMetadataForKey(LedgerTopology.STORE, id, Serdes.String().serializer());
            if (md == null || md.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
                return new Answer(503, LedgerStatusJson.error(id, "ledger is rebalancing; retry"));
            }
            if (!md.activeHost().equals(self)) {
                if (forwarded) {
                    return new Answer(503, LedgerStatusJson.error(id, "ownership is moving; retry"));
                }
                return proxy(md.activeHost(), id);
            }
            ReadOnlyKeyValueStore<String, LedgerEntry> store = s.store(StoreQueryParameters
                    .fromNameAndType(LedgerTopology.STORE, QueryableStoreTypes.<String, LedgerEntry>keyValueStore())
                    .withPartition(md.partition()));
            return Optional.ofNullable(store.get(id))
                    .map(e -> new Answer(200, LedgerStatusJson.status(id, e)))
                    .orElseGet(() -> new Answer(404, LedgerStatusJson.error(id, "unknown payment")));
        } catch (InvalidStateStoreException e) {
            return new Answer(503, LedgerStatusJson.error(id, "ledger store not queryable now (" + e.getMessage()
                    + "); retry"));
        }
    }

    private Answer proxy(HostInfo owner, String id) {
        URI uri = URI.create("http://" + owner.host() + ":" + owner.port() + PREFIX + id);
        try {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .header(FORWARDED, "1").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Answer(502, LedgerStatusJson.error(id, "owning ledger instance " + owner + " unreachable: " + e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(503, LedgerStatusJson.error(id, "interrupted"));
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
