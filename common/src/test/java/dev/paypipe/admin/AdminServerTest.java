package dev.paypipe.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.control.BreakerMode;
import dev.paypipe.control.ControlTarget;
import dev.paypipe.control.StatusReport;
import dev.paypipe.metrics.MetricsConfig;
import dev.paypipe.metrics.PaypipeMeters;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin endpoint over a real socket on a free loopback port. */
class AdminServerTest {
    private static final String TOKEN = "s3cret-admin-token-0123456789";
    private final HttpClient http = HttpClient.newHttpClient();
    private final RecordingTarget target = new RecordingTarget();
    private final AtomicBoolean kafkaUp = new AtomicBoolean(true);
    private final PaypipeMeters meters = PaypipeMeters.create(MetricsConfig.prometheusOnly(), "payment-worker");
    private AdminServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        meters.close();
    }

    private AdminServer start(String token) {
        server = AdminServer.builder(AdminConfig.local(token))
                .metrics(meters::scrape)
                .status(() -> new StatusReport("worker-1", "payment-worker", "host-a", Instant.EPOCH, Instant.now(),
                        !target.calls.isEmpty() && target.calls.get(target.calls.size() - 1).startsWith("pause"),
                        "alice", "outage", "CLOSED", 3, Map.of("payment-accepted-0", 5L), Map.of("30s", 1L), Map.of()))
                .control(target)
                .healthCheck("kafka", () -> kafkaUp.get() ? HealthCheck.Result.up("1 broker(s) reachable")
                        : HealthCheck.Result.down("no answer from the Kafka cluster within 2000 ms"))
                .start();
        return server;
    }

    @Test
    void pauseWithoutATokenOrWithAWrongOneIs401AndDoesNothing() throws Exception {
        start(TOKEN);

        assertThat(post("/admin/pause?reason=outage", null).statusCode()).isEqualTo(401);
        assertThat(post("/admin/pause?reason=outage", "Bearer wrong-token-0123456789").statusCode()).isEqualTo(401);
        assertThat(post("/admin/pause?reason=outage", "Basic " + TOKEN).statusCode()).isEqualTo(401);
        assertThat(get("/admin/status", "Bearer " + TOKEN.substring(1)).statusCode()).isEqualTo(401);
        assertThat(target.calls).isEmpty();
    }

    @Test
    void everyAdminEndpointRefusesAMissingWrongOrMalformedTokenAndDoesNothing() throws Exception {
        start(TOKEN);

        for (String path : List.of("/admin/pause?reason=x", "/admin/resume", "/admin/breaker/open",
                "/admin/breaker/closed", "/admin/breaker/auto")) {
            for (String auth : java.util.Arrays.asList(null, "", "Bearer", "Bearer ", "Bearer " + TOKEN + "x",
                    "Bearer " + TOKEN.toUpperCase(), "bearer-" + TOKEN, TOKEN)) {
                assertThat(post(path, auth).statusCode()).as(path + " with '" + auth + "'").isEqualTo(401);
            }
        }
        assertThat(get("/admin/status", null).statusCode()).isEqualTo(401);
        assertThat(target.calls).isEmpty();
    }

    @Test
    void withTheTokenPauseResumeAndBreakerReachTheControlTarget() throws Exception {
        start(TOKEN);
        String auth = "Bearer " + TOKEN;

        HttpResponse<String> paused = post("/admin/pause?reason=gateway%20outage&by=alice", auth);
        HttpResponse<String> breaker = post("/admin/breaker/force-open", auth);
        HttpResponse<String> resumed = post("/admin/resume", auth);

        assertThat(paused.statusCode()).isEqualTo(200);
        assertThat(paused.body()).contains("\"paused\":true", "gateway outage");
        assertThat(breaker.statusCode()).isEqualTo(200);
        assertThat(resumed.statusCode()).isEqualTo(200);
        assertThat(target.calls).containsExactly("pause(gateway outage,alice)", "breaker(FORCE_OPEN)", "resume");
    }

    @Test
    void pauseTakesItsReasonFromTheBodyAndRefusesNone() throws Exception {
        start(TOKEN);
        String auth = "Bearer " + TOKEN;

        HttpResponse<String> json = send(HttpRequest.newBuilder(uri("/admin/pause")).header("Authorization", auth)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"INC-7\"}")));
        HttpResponse<String> none = post("/admin/pause", auth);
        HttpResponse<String> wrongMethod = get("/admin/pause", auth);
        HttpResponse<String> unknownMode = post("/admin/breaker/sideways", auth);

        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(target.calls).containsExactly("pause(INC-7,admin@127.0.0.1)");
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(unknownMode.statusCode()).isEqualTo(404);
    }

    @Test
    void statusIsTheStatusSourceAsJson() throws Exception {
        start(TOKEN);

        HttpResponse<String> status = get("/admin/status", "Bearer " + TOKEN);

        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"instanceId\":\"worker-1\"", "\"inFlight\":3", "\"payment-accepted-0\":5",
                "\"30s\":1");
    }

    @Test
    void withoutAConfiguredTokenEveryAdminEndpointIs403ButHealthAndMetricsServe() throws Exception {
        start(null);

        assertThat(post("/admin/pause?reason=x", "Bearer anything-at-all-123456").statusCode()).isEqualTo(403);
        assertThat(get("/admin/status", null).statusCode()).isEqualTo(403);
        assertThat(get("/health/live", null).statusCode()).isEqualTo(200);
        assertThat(get("/metrics", null).statusCode()).isEqualTo(200);
        assertThat(target.calls).isEmpty();
    }

    @Test
    void metricsServesPrometheusTextWithARegisteredCounter() throws Exception {
        start(TOKEN);
        Counter.builder("paypipe.results").tag("status", "APPROVED").register(meters.registry()).increment(7);

        HttpResponse<String> metrics = get("/metrics", null);

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue(AdminServer.PROMETHEUS_CONTENT_TYPE);
        assertThat(metrics.body()).contains("# TYPE paypipe_results_total counter",
                "paypipe_results_total{service=\"payment-worker\",status=\"APPROVED\"} 7.0", "jvm_memory_used_bytes");
    }

    @Test
    void readyIs503WhenACheckFailsAndReportsAPauseWithoutFailing() throws Exception {
        start(TOKEN);
        post("/admin/pause?reason=outage", "Bearer " + TOKEN);

        HttpResponse<String> readyWhilePaused = get("/health/ready", null);
        kafkaUp.set(false);
        HttpResponse<String> notReady = get("/health/ready", null);

        assertThat(readyWhilePaused.statusCode()).isEqualTo(200);
        assertThat(readyWhilePaused.body()).contains("\"status\":\"UP\"", "\"paused\":true");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("\"status\":\"DOWN\"", "no answer from the Kafka cluster");
        assertThat(get("/health/live", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aTokenShorterThan16CharactersIsABadConfig() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AdminConfig.local("short"))
                .hasMessageContaining("admin.token").hasMessageNotContaining("short");
        assertThat(AdminConfig.local(TOKEN).toString()).doesNotContain(TOKEN).contains("token=<set>");
    }

    private URI uri(String path) {
        return URI.create(server.baseUri() + path);
    }

    private HttpResponse<String> get(String path, String auth) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return send(b);
    }

    private HttpResponse<String> post(String path, String auth) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody());
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return send(b);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static final class RecordingTarget implements ControlTarget {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void pause(String reason, String by) {
            calls.add("pause(" + reason + "," + by + ")");
        }

        @Override
        public void resume() {
            calls.add("resume");
        }

        @Override
        public void breaker(BreakerMode mode) {
            calls.add("breaker(" + mode + ")");
        }
    }
}
