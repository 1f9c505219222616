package dev.paypipe.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.paypipe.gateway.FailureClassifier.ChargeBody;
import dev.paypipe.model.PaymentRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.async.MinimalHttpAsyncClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * {@link PaymentGateway} over HTTP with Apache HttpClient 5's minimal async client: non-blocking I/O,
 * a connection pool sized to the worker's in-flight limit, no automatic retries or redirects
 * (retries are the pipeline's job, through retry topics).
 *
 * <p>Every charge and look-up has a total deadline, {@code gateway.response-timeout} from the call:
 * HttpClient's own response timeout is an idle timeout between bytes, so a response that drips one
 * byte at a time would never end. On expiry the connection is closed and discarded and the call ends
 * as {@code deadline_exceeded}. The first of answer, failure and deadline wins; later ones are ignored.
 */
public final class HttpPaymentGateway implements PaymentGateway {
    private static final JsonFactory JSON = new JsonFactory();

    private final MinimalHttpAsyncClient client;
    private final RequestConfig requestConfig;
    private final URI chargesUri;
    private final String authorization;
    private final Duration deadline;
    private final CallDeadlines deadlines;
    private final boolean ownsDeadlines;

    public HttpPaymentGateway(GatewayConfig config) {
        this(config, new ScheduledCallDeadlines("paypipe-gateway-deadlines"), true);
    }

    /** With the caller's deadline scheduler (tests pass a fake one); the caller closes it. */
    public HttpPaymentGateway(GatewayConfig config, CallDeadlines deadlines) {
        this(config, deadlines, false);
    }

    private HttpPaymentGateway(GatewayConfig config, CallDeadlines deadlines, boolean ownsDeadlines) {
        this.deadline = config.responseTimeout();
        this.deadlines = deadlines;
        this.ownsDeadlines = ownsDeadlines;
        PoolingAsyncClientConnectionManager connections = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnTotal(config.maxConnections())
                .setMaxConnPerRoute(config.maxConnections())
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(config.connectTimeout()))
                        // Only a backstop: the call deadline ends every exchange first, so its error class is stable.
                        .setSocketTimeout(Timeout.of(config.responseTimeout().multipliedBy(2)))
                        .setTimeToLive(Timeout.ofMinutes(5))
                        .build())
                .build();
        // The minimal client: no cookie, auth, redirect or retry stages in the execution chain, which
        // roughly halves the CPU spent per call; none of them applies to a machine-to-machine gateway.
        this.client = HttpAsyncClients.createMinimal(HttpVersionPolicy.FORCE_HTTP_1, H2Config.DEFAULT,
                Http1Config.DEFAULT,
                IOReactorConfig.custom()
                        .setIoThreadCount(config.ioThreads())
                        .setTcpNoDelay(true)
                        .setSoKeepAlive(true)
                        .build(),
                connections);
        this.requestConfig = RequestConfig.custom()
                .setConnectionRequestTimeout(Timeout.of(config.connectTimeout()))
                .build();
        this.client.start();
        String base = config.baseUri().toString().replaceAll("/+$", "");
        this.chargesUri = URI.create(base + "/v1/charges");
        this.authorization = "Bearer " + config.apiKey();
    }

    @Override
    public CompletableFuture<GatewayOutcome> charge(PaymentRequest request) {
        SimpleHttpRequest http = SimpleRequestBuilder.post(chargesUri)
                .setHeader("Authorization", authorization)
                .setHeader("Idempotency-Key", request.paymentId())
                .setBody(chargeBody(request), ContentType.APPLICATION_JSON)
                .build();
        return send(http, new Answers<>() {
            @Override
            public GatewayOutcome response(SimpleHttpResponse response) {
                return toOutcome(response);
            }

            @Override
            public GatewayOutcome failure(Exception e) {
                return FailureClassifier.classifyFailure(e);
            }

            @Override
            public GatewayOutcome deadline(boolean maybeSent) {
                return FailureClassifier.chargeDeadlineExceeded(deadline, maybeSent);
            }
        });
    }

    @Override
    public CompletableFuture<ChargeLookup> lookup(String paymentId) {
        URI uri = URI.create(chargesUri + "?idempotencyKey=" + URLEncoder.encode(paymentId, StandardCharsets.UTF_8));
        SimpleHttpRequest http = SimpleRequestBuilder.get(uri).setHeader("Authorization", authorization).build();
        return send(http, new Answers<>() {
            @Override
            public ChargeLookup response(SimpleHttpResponse response) {
                return toLookup(response);
            }

            @Override
            public ChargeLookup failure(Exception e) {
                return FailureClassifier.classifyLookupFailure(e);
            }

            @Override
            public ChargeLookup deadline(boolean maybeSent) {
                return FailureClassifier.lookupDeadlineExceeded(deadline);
            }
        });
    }

    /** What a call ends as, for each way it can end. */
    private interface Answers<T> {
        T response(SimpleHttpResponse response);

        T failure(Exception e);

        T deadline(boolean maybeSent);
    }

    /**
     * Leases a connection, runs the exchange on it and arms the deadline. The lease is done by hand
     * (not {@code client.execute}) because cancelling the minimal client's execute future after the
     * lease only cancels the lease: the exchange would keep its connection until the drip ends. Owning
     * the endpoint lets the deadline close it ({@code releaseAndDiscard}).
     */
    private <T> CompletableFuture<T> send(SimpleHttpRequest request, Answers<T> answers) {
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(requestConfig);
        Exchange<T> exchange = new Exchange<>(answers);
        exchange.arm(deadlines.schedule(deadline, exchange::expire));
        // The lease future is never cancelled: in the minimal client a cancelled lease that completes later
        // leaks its connection. A late lease is handed back by Exchange.leased instead.
        client.lease(new HttpHost(request.getScheme(), request.getAuthority()), context, new FutureCallback<>() {
            @Override
            public void completed(AsyncClientEndpoint endpoint) {
                exchange.leased(endpoint, request, context);
            }

            @Override
            public void failed(Exception e) {
                exchange.finish(answers.failure(e), false);
            }

            @Override
            public void cancelled() {
                exchange.finish(answers.failure(new CancellationException("connection lease cancelled")), false);
            }
        });
        return exchange.result;
    }

    /** One call: first completion wins, then the deadline is cancelled and the connection reused or discarded. */
    private static final class Exchange<T> {
        final CompletableFuture<T> result = new CompletableFuture<>();
        private final Answers<T> answers;
        private volatile CallDeadlines.Expiry expiry;
        private AsyncClientEndpoint endpoint; // guarded by this
        private boolean finished; // guarded by this

        Exchange(Answers<T> answers) {
            this.answers = answers;
        }

        void arm(CallDeadlines.Expiry scheduled) {
            expiry = scheduled;
            if (result.isDone()) {
                scheduled.cancel();
            }
        }

        void leased(AsyncClientEndpoint leased, SimpleHttpRequest request, HttpClientContext context) {
            synchronized (this) {
                if (finished) {
                    leased.releaseAndReuse(); // nothing was sent on it
                    return;
                }
                endpoint = leased;
            }
            try {
                leased.execute(SimpleRequestProducer.create(request), SimpleResponseConsumer.create(), context,
                        new FutureCallback<SimpleHttpResponse>() {
                            @Override
                            public void completed(SimpleHttpResponse response) {
                                finish(answers.response(response), true);
                            }

                            @Override
                            public void failed(Exception e) {
                                finish(answers.failure(e), false);
                            }

                            @Override
                            public void cancelled() {
                                finish(answers.failure(new CancellationException("exchange cancelled")), false);
                            }
                        });
            } catch (RuntimeException e) {
                finish(answers.failure(e), false);
            }
        }

        void expire() {
            boolean maybeSent;
            synchronized (this) {
                maybeSent = endpoint != null;
            }
            finish(answers.deadline(maybeSent), false);
        }

        void finish(T value, boolean reuseConnection) {
            AsyncClientEndpoint used;
            synchronized (this) {
                if (finished) {
                    return;
                }
                finished = true;
                used = endpoint;
            }
            CallDeadlines.Expiry scheduled = expiry;
            if (scheduled != null) {
                scheduled.cancel();
            }
            if (used != null) {
                if (reuseConnection) {
                    used.releaseAndReuse();
                } else {
                    // Closes the socket: an exchange cut off mid-response must never be reused.
                    used.releaseAndDiscard();
                }
            }
            result.complete(value);
        }
    }

    /** Maps a charge answer to its outcome, through the classifier. */
    static GatewayOutcome toOutcome(SimpleHttpResponse response) {
        int code = response.getCode();
        byte[] body = response.getBodyBytes();
        Header retryAfter = response.getFirstHeader("Retry-After");
        Duration hint = FailureClassifier.parseRetryAfter(retryAfter == null ? null : retryAfter.getValue());
        String detail = body == null ? "" : new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        ChargeBody parsed = code == 200 || code == 402 ? parse(body) : ChargeBody.EMPTY;
        return FailureClassifier.classifyCharge(code, parsed, hint, detail);
    }

    /** Maps a look-up answer to its result, through the classifier. */
    static ChargeLookup toLookup(SimpleHttpResponse response) {
        int code = response.getCode();
        return FailureClassifier.classifyLookup(code, code == 200 ? parse(response.getBodyBytes()) : ChargeBody.EMPTY);
    }

    private static ChargeBody parse(byte[] body) {
        String id = null;
        String status = null;
        String declineCode = null;
        if (body == null || body.length == 0) {
            return ChargeBody.EMPTY;
        }
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return ChargeBody.EMPTY;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (t != JsonToken.VALUE_STRING) {
                    p.skipChildren();
                    continue;
                }
                switch (field) {
                    case "id" -> id = p.getText();
                    case "status" -> status = p.getText();
                    case "declineCode" -> declineCode = p.getText();
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            return new ChargeBody(id, null, declineCode);
        }
        return new ChargeBody(id, status, declineCode);
    }

    static byte[] chargeBody(PaymentRequest r) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(192); JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("paymentId", r.paymentId());
            g.writeStringField("amount", r.amount().toPlainString());
            g.writeStringField("currency", r.currency());
            g.writeStringField("customerId", r.customerId());
            g.writeStringField("paymentMethod", r.paymentMethod());
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
        if (ownsDeadlines) {
            deadlines.close();
        }
    }
}
