package dev.paypipe.sim;

import dev.paypipe.sim.ChargeLedger.KeyState;
import dev.paypipe.sim.ChargeLedger.Outcome;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.AsyncRequestConsumer;
import org.apache.hc.core5.http.nio.AsyncServerRequestHandler;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicRequestConsumer;
import org.apache.hc.core5.http.nio.support.BasicResponseProducer;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /v1/charges} on the I/O threads. Nothing here blocks: a response that must wait
 * (latency, hang, drip) is handed to the {@link ResponseTimer}, which submits it when due. A charge fault
 * that {@linkplain InjectedFault#charges() charges} goes through the normal path first and only changes
 * how that one attempt is answered, so replays and look-ups see the stored outcome.
 */
final class ChargeHandler implements AsyncServerRequestHandler<Message<HttpRequest, byte[]>> {
    private static final Logger log = LoggerFactory.getLogger(ChargeHandler.class);
    private static final String PATH = "/v1/charges";
    private static final String DEFAULT_DECLINE_CODE = "insufficient_funds";
    /** Payment method tokens that force an outcome, like a card network's test cards. */
    private static final String FORCE_DECLINE_TOKEN = "tok_decline";
    private static final String FORCE_APPROVE_TOKEN = "tok_approve";

    private final Supplier<SimulatorConfig> config;
    private final ChargeLedger ledger;
    private final SimulatorStats stats;
    private final OutageSchedule outages;
    private final ResponseTimer timer;
    private final ConnectionRegistry connections;
    private final Clock clock;

    ChargeHandler(Supplier<SimulatorConfig> config, ChargeLedger ledger, SimulatorStats stats,
            OutageSchedule outages, ResponseTimer timer, ConnectionRegistry connections, Clock clock) {
        this.config = config;
        this.connections = connections;
        this.clock = clock;
        this.ledger = ledger;
        this.stats = stats;
        this.outages = outages;
        this.timer = timer;
    }

    @Override
    public AsyncRequestConsumer<Message<HttpRequest, byte[]>> prepare(HttpRequest request, EntityDetails entity,
            HttpContext context) {
        return new BasicRequestConsumer<>(BasicAsyncEntityConsumer::new);
    }

    @Override
    public void handle(Message<HttpRequest, byte[]> message, ResponseTrigger trigger, HttpContext context)
            throws HttpException, IOException {
        HttpRequest request = message.getHead();
        String target = request.getPath();
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        Exchange exchange = new Exchange(trigger, context);
        if (!PATH.equals(path)) {
            stats.otherReceived();
            exchange.respond(404, GatewayResponses.NO_ROUTE, 0);
        } else if ("POST".equals(request.getMethod())) {
            charge(request, message.getBody(), exchange);
        } else if ("GET".equals(request.getMethod())) {
            lookup(q < 0 ? "" : target.substring(q + 1), request, exchange);
        } else {
            stats.otherReceived();
            exchange.respond(405, GatewayResponses.METHOD_NOT_ALLOWED, 0);
        }
    }

    private void charge(HttpRequest request, byte[] body, Exchange exchange) {
        stats.chargeReceived();
        SimulatorConfig cfg = config.get();
        OutageSchedule.Active outage = outages.current(cfg);
        if (outage != null) {
            stats.duringOutage();
            duringOutage(cfg, outage, exchange);
            return;
        }
        if (!authorized(request, cfg)) {
            exchange.respond(401, GatewayResponses.UNAUTHORIZED, 0);
            return;
        }
        String key = header(request, "Idempotency-Key");
        if (key == null || key.isBlank() || key.length() > 255) {
            exchange.respond(400, GatewayResponses.invalid("Idempotency-Key header is required (1-255 chars)"), 0);
            return;
        }
        ChargeRequest charge;
        try {
            charge = ChargeRequest.parse(body, key);
        } catch (ChargeRequest.InvalidCharge e) {
            exchange.respond(e.status(), GatewayResponses.invalid(e.getMessage()), 0);
            return;
        }
        KeyState state = ledger.state(key);
        int attempt = state.nextAttempt();
        InjectedFault fault = Dice.fault(cfg, key, attempt);
        if (fault != null) {
            stats.faultInjected(fault);
        }
        long latency = cfg.latency().sampleNanos();
        if (fault == null || fault.charges()) {
            process(cfg, charge, state, exchange, latency,
                    outcome -> deliver(cfg, fault, key, attempt, outcome, exchange));
            return;
        }
        switch (fault) {
            case TIMEOUT_BEFORE_CHARGE -> later(cfg.hangTime().toNanos(),
                    () -> exchange.respond(504, GatewayResponses.GATEWAY_TIMEOUT, 0));
            case SERVER_ERROR -> later(latency, () -> exchange.respond(500, GatewayResponses.SERVER_ERROR, 0));
            case RATE_LIMIT -> exchange.respond(429, GatewayResponses.RATE_LIMITED, cfg.retryAfterSeconds());
            case UNAVAILABLE -> exchange.respond(503, GatewayResponses.UNAVAILABLE, cfg.retryAfterSeconds());
            default -> throw new IllegalStateException("unhandled fault " + fault);
        }
    }

    /** Nothing is charged (or looked up) during an outage, whatever its mode. */
    private void duringOutage(SimulatorConfig cfg, OutageSchedule.Active outage, Exchange exchange) {
        long hang = cfg.hangTime().toNanos();
        switch (outage.mode()) {
            case UNAVAILABLE -> exchange.respond(503, GatewayResponses.OUTAGE, 0);
            case TIMEOUT -> later(hang, () -> exchange.respond(504, GatewayResponses.GATEWAY_TIMEOUT, 0));
            case HANG -> later(Math.max(1, Math.min(hang, outage.endNanos() - outages.now())),
                    () -> exchange.respond(503, GatewayResponses.OUTAGE, 0));
            default -> throw new IllegalStateException("unhandled outage mode " + outage.mode());
        }
    }

    /**
     * The normal path: replay a completed key, refuse a key in flight, or charge once; then hand the key's
     * outcome to {@code delivery}. A {@code 409} is answered as is: that attempt charged nothing.
     */
    private void process(SimulatorConfig cfg, ChargeRequest charge, KeyState state, Exchange exchange, long latency,
            Consumer<Outcome> delivery) {
        Outcome done = state.outcome;
        if (done == null) {
            if (!state.tryAcquire()) {
                exchange.respond(409, GatewayResponses.IN_PROGRESS, 0);
                return;
            }
            done = state.outcome; // completed between our check and the acquire
            if (done != null) {
                state.release();
            }
        }
        if (done != null) {
            ledger.replayed();
            Outcome replay = done;
            later(latency, () -> delivery.accept(replay));
            return;
        }
        later(latency, () -> {
            Outcome outcome = decide(cfg, charge, clock);
            ledger.complete(state, outcome);
            delivery.accept(outcome);
        });
    }

    /** How one attempt's answer reaches its client once the key's outcome is recorded. */
    private void deliver(SimulatorConfig cfg, InjectedFault fault, String key, int attempt, Outcome outcome,
            Exchange exchange) {
        if (fault == null) {
            exchange.respond(outcome.httpStatus(), outcome.body(), 0);
            return;
        }
        switch (fault) {
            case TIMEOUT_AFTER_CHARGE -> later(cfg.hangTime().toNanos(),
                    () -> exchange.respond(outcome.httpStatus(), outcome.body(), 0));
            case RESET_AFTER_CHARGE -> exchange.reset();
            case SERVER_ERROR_AFTER_CHARGE -> exchange.respond(500, GatewayResponses.SERVER_ERROR, 0);
            case GARBAGE_200 -> exchange.respond(200, GatewayResponses.GARBAGE, 0);
            case INCOMPLETE_200 -> exchange.respond(200,
                    GatewayResponses.incomplete(outcome.charge(), Dice.variant(cfg, key, attempt, 3)), 0);
            case SLOW_DRIP -> exchange.drip(outcome.httpStatus(), outcome.body(), cfg.dripInterval().toNanos());
            default -> throw new IllegalStateException("fault " + fault + " does not charge");
        }
    }

    private static Outcome decide(SimulatorConfig cfg, ChargeRequest charge, Clock clock) {
        String key = charge.paymentId();
        String method = charge.paymentMethod();
        String declineCode = null;
        if (method.startsWith(FORCE_DECLINE_TOKEN)) {
            declineCode = forcedDeclineCode(method);
        } else if (!method.startsWith(FORCE_APPROVE_TOKEN) && Dice.declined(cfg, key)) {
            declineCode = DEFAULT_DECLINE_CODE;
        }
        StoredCharge stored = new StoredCharge(Dice.chargeId(cfg.seed(), key), key,
                declineCode == null ? StoredCharge.Status.SUCCEEDED : StoredCharge.Status.DECLINED, declineCode,
                charge.amount(), charge.currency(), charge.customerId(), clock.instant());
        return new Outcome(stored, declineCode == null ? 200 : 402, GatewayResponses.charge(stored));
    }

    /** {@code tok_decline_card_expired} declines with {@code card_expired}; anything odd falls back. */
    private static String forcedDeclineCode(String method) {
        if (method.length() <= FORCE_DECLINE_TOKEN.length() + 1 || method.length() > 64) {
            return DEFAULT_DECLINE_CODE;
        }
        String code = method.substring(FORCE_DECLINE_TOKEN.length() + 1);
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c == '_')) {
                return DEFAULT_DECLINE_CODE;
            }
        }
        return code;
    }

    /** Reads the ledger, never writes it: not even a fault or an unknown key leaves a trace there. */
    private void lookup(String query, HttpRequest request, Exchange exchange) {
        SimulatorConfig cfg = config.get();
        String key = queryParam(query, "idempotencyKey");
        if (key == null || key.isBlank()) {
            stats.lookupReceivedWithoutKey();
            exchange.respond(400, GatewayResponses.invalid("query parameter idempotencyKey is required"), 0);
            return;
        }
        int lookupNumber = stats.lookupReceived(key);
        // An outage takes the whole API down, look-ups included: a client must not read a healthy
        // look-up as a sign that charges work again.
        OutageSchedule.Active outage = outages.current(cfg);
        if (outage != null) {
            duringOutage(cfg, outage, exchange);
            return;
        }
        if (!authorized(request, cfg)) {
            exchange.respond(401, GatewayResponses.UNAUTHORIZED, 0);
            return;
        }
        long latency = cfg.latency().sampleNanos();
        LookupFault fault = Dice.lookupFault(cfg, key, lookupNumber);
        if (fault != null) {
            stats.lookupFaultInjected(fault);
            switch (fault) {
                case FAILURE -> later(latency, () -> exchange.respond(500, GatewayResponses.SERVER_ERROR, 0));
                case TIMEOUT -> later(cfg.hangTime().toNanos(),
                        () -> exchange.respond(504, GatewayResponses.GATEWAY_TIMEOUT, 0));
                default -> throw new IllegalStateException("unhandled look-up fault " + fault);
            }
            return;
        }
        KeyState state = ledger.peek(key);
        Outcome outcome = state == null ? null : state.outcome;
        if (outcome == null) {
            later(latency, () -> exchange.respond(404, GatewayResponses.NOT_FOUND, 0));
        } else {
            later(latency, () -> exchange.respond(200, outcome.body(), 0));
        }
    }

    private static boolean authorized(HttpRequest request, SimulatorConfig cfg) {
        String authorization = header(request, HttpHeaders.AUTHORIZATION);
        String key = cfg.apiKey();
        return authorization != null && authorization.length() == 7 + key.length()
                && authorization.regionMatches(true, 0, "Bearer ", 0, 7) && authorization.endsWith(key);
    }

    private static String header(HttpRequest request, String name) {
        Header header = request.getFirstHeader(name);
        return header == null ? null : header.getValue();
    }

    private static String queryParam(String query, String name) {
        int from = 0;
        while (from < query.length()) {
            int amp = query.indexOf('&', from);
            int end = amp < 0 ? query.length() : amp;
            int eq = query.indexOf('=', from);
            if (eq > 0 && eq < end && query.regionMatches(from, name, 0, name.length()) && eq - from == name.length()) {
                try {
                    return URLDecoder.decode(query.substring(eq + 1, end), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
            from = end + 1;
        }
        return null;
    }

    /** Runs now on the I/O thread when there is nothing to wait for, else on the timer's tick. */
    private void later(long delayNanos, Runnable task) {
        if (delayNanos <= 0) {
            task.run();
            return;
        }
        timer.schedule(delayNanos, task);
    }

    /** One request's way back to its client. */
    private final class Exchange {
        private final ResponseTrigger trigger;
        private final HttpContext context;

        Exchange(ResponseTrigger trigger, HttpContext context) {
            this.trigger = trigger;
            this.context = context;
        }

        void respond(int status, byte[] body, int retryAfterSeconds) {
            stats.responded(status);
            submit(status, retryAfterSeconds, AsyncEntityProducers.create(body, ContentType.APPLICATION_JSON));
        }

        /** The whole response, released one byte per {@code intervalNanos}. */
        void drip(int status, byte[] body, long intervalNanos) {
            stats.responded(status);
            stats.dripStarted();
            submit(status, 0, new SlowDripEntityProducer(body, ContentType.APPLICATION_JSON, intervalNanos, timer,
                    stats::dripEnded));
        }

        /**
         * Resets the connection instead of answering. Always from the timer thread, never in the middle of
         * the I/O thread's own work on this connection.
         */
        void reset() {
            stats.reset();
            timer.schedule(0, () -> {
                if (!connections.reset(context)) {
                    log.debug("connection to reset was already closed");
                }
            });
        }

        private void submit(int status, int retryAfterSeconds, AsyncEntityProducer entity) {
            BasicHttpResponse response = new BasicHttpResponse(status);
            if (retryAfterSeconds > 0) {
                response.addHeader(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds));
            }
            try {
                trigger.submitResponse(new BasicResponseProducer(response, entity), context);
            } catch (HttpException | IOException | RuntimeException e) {
                // The client is gone (it timed out or closed): the outcome, if any, is already in the ledger.
                entity.releaseResources();
                log.debug("could not deliver a {} response: {}", status, e.toString());
            }
        }
    }
}
