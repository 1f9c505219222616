package dev.paypipe.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.paypipe.control.BreakerMode;
import dev.paypipe.control.ControlCodec;
import dev.paypipe.control.ControlTarget;
import dev.paypipe.control.StatusReport;
import dev.paypipe.control.StatusSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's admin HTTP endpoint on the JDK HTTP server:
 * <ul>
 *   <li>{@code GET /health/live}: 200 while the process runs;</li>
 *   <li>{@code GET /health/ready}: 200 when every {@link HealthCheck} is up, else 503; a pause is
 *       reported ({@code "paused": true}) but is not a failure;</li>
 *   <li>{@code GET /metrics}: Prometheus text format;</li>
 *   <li>{@code GET /admin/status}, {@code POST /admin/pause} ({@code reason} as query parameter, form
 *       field, JSON field or plain body; optional {@code by}), {@code POST /admin/resume},
 *       {@code POST /admin/breaker/{reset|force-open|auto}}: bearer token required (401 without it or
 *       with a wrong one; 403 for all of them when no {@code admin.token} is configured).</li>
 * </ul>
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final BearerToken token;
    private final Supplier<String> metrics;
    private final StatusSource status;
    private final ControlTarget control;
    private final Map<String, HealthCheck> checks;

    private AdminServer(Builder b) throws IOException {
        this.token = new BearerToken(b.config.token());
        this.metrics = b.metrics;
        this.status = b.status;
        this.control = b.control;
        this.checks = Map.copyOf(b.checks);
        this.server = HttpServer.create(new InetSocketAddress(b.config.host(), b.config.port()), 16);
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "paypipe-admin-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/health/", this::health);
        server.createContext("/metrics", this::metrics);
        server.createContext("/admin/", this::admin);
        server.createContext("/", ex -> reply(ex, 404, error("no such endpoint: " + ex.getRequestURI().getPath())));
    }

    public static Builder builder(AdminConfig config) {
        return new Builder(config);
    }

    /** Options for the admin endpoint; each missing part answers 404 at its path. */
    public static final class Builder {
        private final AdminConfig config;
        private final Map<String, HealthCheck> checks = new LinkedHashMap<>();
        private Supplier<String> metrics;
        private StatusSource status;
        private ControlTarget control;

        private Builder(AdminConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** The Prometheus scrape, e.g. {@code PaypipeMeters::scrape}. */
        public Builder metrics(Supplier<String> scrape) {
            this.metrics = scrape;
            return this;
        }

        public Builder status(StatusSource status) {
            this.status = status;
            return this;
        }

        /** What pause, resume and breaker act on: this process, or {@code ControlPublisher.fleetTarget} for the fleet. */
        public Builder control(ControlTarget control) {
            this.control = control;
            return this;
        }

        public Builder healthCheck(String name, HealthCheck check) {
            checks.put(name, check);
            return this;
        }

        /** Binds and starts serving; fails naming the address when it is taken. */
        public AdminServer start() {
            try {
                AdminServer admin = new AdminServer(this);
                admin.server.start();
                log.atInfo().setMessage("admin HTTP listening").addKeyValue("event", "admin_started")
                        .addKeyValue("address", admin.baseUri().toString()).addKeyValue("config", config.toString())
                        .addKeyValue("commandsEnabled", config.hasToken()).log();
                return admin;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bind the admin HTTP endpoint to " + config.host() + ":"
                        + config.port() + " (set admin.port to a free port, or admin.enabled=false)", e);
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI baseUri() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + port());
    }

    // ------------------------------------------------------------------ health and metrics

    private void health(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (!isGet(ex)) {
            reply(ex, 405, error("use GET"));
        } else if (path.equals("/health/live")) {
            reply(ex, 200, JSON.createObjectNode().put("status", "UP"));
        } else if (path.equals("/health/ready")) {
            ready(ex);
        } else {
            reply(ex, 404, error("no such endpoint: " + path));
        }
    }

    private void ready(HttpExchange ex) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode results = JSON.createObjectNode();
        boolean allUp = true;
        for (Map.Entry<String, HealthCheck> c : checks.entrySet()) {
            HealthCheck.Result r;
            try {
                r = c.getValue().check();
            } catch (RuntimeException e) {
                r = HealthCheck.Result.down("check failed: " + e);
            }
            allUp &= r.up();
            results.putObject(c.getKey()).put("status", r.up() ? "UP" : "DOWN").put("detail", r.detail());
        }
        body.put("status", allUp ? "UP" : "DOWN");
        if (status != null) {
            try {
                StatusReport s = status.status();
                body.put("paused", s.paused()).put("pausedBy", s.pausedBy()).put("pauseReason", s.pauseReason());
            } catch (RuntimeException e) {
                body.put("paused", (String) null).put("statusError", e.toString()); // status is information, not a check
            }
        }
        body.set("checks", results);
        reply(ex, allUp ? 200 : 503, body);
    }

    private void metrics(HttpExchange ex) throws IOException {
        if (!ex.getRequestURI().getPath().equals("/metrics") || metrics == null) {
            reply(ex, 404, error("no metrics registry wired"));
        } else if (!isGet(ex)) {
            reply(ex, 405, error("use GET"));
        } else {
            send(ex, 200, PROMETHEUS_CONTENT_TYPE, metrics.get().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    // ------------------------------------------------------------------ admin commands

    private void admin(HttpExchange ex) throws IOException {
        if (!token.configured()) {
            reply(ex, 403, error("admin endpoints are disabled: set admin.token (PAYPIPE_ADMIN_TOKEN) to enable them"));
            return;
        }
        if (!token.matches(ex.getRequestHeaders().getFirst("Authorization"))) {
            log.atWarn().setMessage("admin request refused: missing or wrong bearer token")
                    .addKeyValue("event", "admin_unauthorized").addKeyValue("path", ex.getRequestURI().getPath())
                    .addKeyValue("remote", remote(ex)).log();
            ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"paypipe-admin\"");
            reply(ex, 401, error("missing or wrong bearer token"));
            return;
        }
        String path = ex.getRequestURI().getPath();
        if (path.equals("/admin/status")) {
            if (!isGet(ex)) {
                reply(ex, 405, error("use GET"));
            } else if (status == null) {
                reply(ex, 404, error("no status source wired"));
            } else {
                reply(ex, 200, ControlCodec.toTree(status.status()));
            }
            return;
        }
        if (!path.equals("/admin/pause") && !path.equals("/admin/resume") && !path.startsWith("/admin/breaker/")) {
            reply(ex, 404, error("no such endpoint: " + path));
            return;
        }
        if (!"POST".equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().add("Allow", "POST");
            reply(ex, 405, error("use POST"));
            return;
        }
        if (control == null) {
            reply(ex, 404, error("no control target wired"));
            return;
        }
        command(ex, path);
    }

    private void command(HttpExchange ex, String path) throws IOException {
        AdminRequest request;
        try {
            request = AdminRequest.read(ex);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            reply(ex, 400, error("body is not valid JSON: " + e.getOriginalMessage()));
            return;
        }
        String by = request.param("by").orElse("admin@" + remote(ex));
        String reason = request.param("reason").orElse(null);
        ObjectNode body = JSON.createObjectNode();
        if (path.equals("/admin/pause")) {
            if (reason == null || reason.isBlank()) {
                reply(ex, 400, error("a pause needs a reason: POST /admin/pause?reason=... (shown by paypipe status)"));
                return;
            }
            control.pause(reason, by);
            body.put("paused", true).put("reason", reason).put("by", by);
        } else if (path.equals("/admin/resume")) {
            control.resume();
            body.put("paused", false).put("by", by);
        } else {
            BreakerMode mode;
            try {
                mode = BreakerMode.parse(path.substring("/admin/breaker/".length()));
            } catch (IllegalArgumentException e) {
                reply(ex, 404, error(e.getMessage()));
                return;
            }
            control.breaker(mode);
            body.put("breaker", mode.cliName()).put("by", by);
        }
        log.atWarn().setMessage("admin command applied").addKeyValue("event", "admin_command")
                .addKeyValue("path", path).addKeyValue("by", by).addKeyValue("reason", reason)
                .addKeyValue("remote", remote(ex)).log();
        reply(ex, 200, body);
    }

    // ------------------------------------------------------------------ plumbing

    private static boolean isGet(HttpExchange ex) {
        return "GET".equals(ex.getRequestMethod()) || "HEAD".equals(ex.getRequestMethod());
    }

    private static String remote(HttpExchange ex) {
        return ex.getRemoteAddress() == null ? "unknown" : ex.getRemoteAddress().getAddress().getHostAddress();
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static void reply(HttpExchange ex, int status, JsonNode body) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = "HEAD".equals(ex.getRequestMethod());
            ex.sendResponseHeaders(status, head ? -1 : body.length);
            if (!head) {
                ex.getResponseBody().write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
