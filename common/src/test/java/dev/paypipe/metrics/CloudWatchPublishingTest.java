package dev.paypipe.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** A local HTTP endpoint stands in for CloudWatch (endpoint override) and records PutMetricData calls. */
class CloudWatchPublishingTest {
    private HttpServer fakeCloudWatch;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startFakeCloudWatch() throws IOException {
        fakeCloudWatch = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fakeCloudWatch.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
            requests.add(decode(body, encoding));
            byte[] reply = ("<PutMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">"
                    + "<ResponseMetadata><RequestId>test</RequestId></ResponseMetadata></PutMetricDataResponse>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        fakeCloudWatch.start();
    }

    @AfterEach
    void stop() {
        fakeCloudWatch.stop(0);
    }

    @Test
    void publishesPaymentMetersWithTheServiceDimensionToTheConfiguredEndpoint() {
        URI endpoint = URI.create("http://127.0.0.1:" + fakeCloudWatch.getAddress().getPort());
        MetricsConfig config = new MetricsConfig(true, "paypipe-test", "eu-west-1", Duration.ofSeconds(1), endpoint,
                1000, Map.of("env", "test"));

        try (PaypipeMeters meters = PaypipeMeters.create(config, "payment-worker",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret-test")))) {
            Counter unknown = Counter.builder("paypipe.results").tag("status", "UNKNOWN").register(meters.registry());
            unknown.increment(3);

            await().atMost(Duration.ofSeconds(20)).until(() -> requests.stream()
                    .anyMatch(r -> r.contains("MetricName=paypipe.results.count")));
        }

        String put = requests.stream().filter(r -> r.contains("MetricName=paypipe.results.count")).findFirst().orElseThrow();
        assertThat(put).contains("Action=PutMetricData", "Namespace=paypipe-test", "Name=service",
                "Value=payment-worker", "Name=status", "Value=UNKNOWN", "Name=env");
        assertThat(requests).anyMatch(r -> r.contains("MetricName=jvm.memory.used"));
    }

    @Test
    void prometheusIsAlwaysOnAndCloudWatchOnlyWhenEnabled() {
        try (PaypipeMeters meters = PaypipeMeters.create(MetricsConfig.prometheusOnly(), "db-writer")) {
            Counter.builder("paypipe.db.rows.written").register(meters.registry()).increment(5);

            assertThat(meters.cloudWatch()).isEmpty();
            assertThat(meters.scrape()).contains("paypipe_db_rows_written_total{service=\"db-writer\"} 5.0");
        }
    }

    private static String decode(byte[] body, String encoding) throws IOException {
        byte[] raw = body;
        if ("gzip".equalsIgnoreCase(encoding)) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                raw = in.readAllBytes();
            }
        }
        return URLDecoder.decode(new String(raw, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
