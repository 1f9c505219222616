package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.kafka.PaymentPublisher;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.load.ResultCollector;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import dev.paypipe.testkit.Ports;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code paypipe worker} process with CloudWatch enabled and its endpoint overridden to a local HTTP server standing
 * in for CloudWatch (static fake credentials from the environment, as the SDK's default chain reads them): after
 * payments through the gateway simulator, PutMetricData carries the payment meters (results by status, gateway
 * latency with its percentiles, calls in flight) with the service dimension, and the worker's {@code /metrics} shows
 * the same meters in Prometheus text.
 */
@ExtendWith(PaypipeInfraExtension.class)
class CloudWatchPublishingIT {
    private static final int PAYMENTS = 40;
    private static final Pattern METRIC_NAME = Pattern.compile("MetricName=([^&]+)");

    @Test
    void aWorkerPublishesItsPaymentMetersToCloudWatchAndServesThemAsPrometheusText(KafkaBroker kafka,
            @TempDir Path dir) throws Exception {
        KafkaSettings topics = kafka.freshTopics(2);
        List<String> puts = new CopyOnWriteArrayList<>();
        HttpServer cloudWatch = fakeCloudWatch(puts);
        SimulatorConfig simConfig = SimulatorConfig.builder().latency(Duration.ofMillis(5)).declineRate(0.2).build();
        PaymentFactory payments = new PaymentFactory("cw");
        try (GatewaySimulator sim = GatewaySimulator.start(simConfig);
                ResultCollector results = ResultCollector.results(topics.bootstrapServers(), topics.topics().results());
                PaymentPublisher publisher = new PaymentPublisher(topics)) {
            int adminPort = Ports.free();
            ProcessEnv env = ProcessEnv.worker(topics, sim.baseUri(), SimulatorConfig.DEFAULT_API_KEY)
                    .with("admin.port", Integer.toString(adminPort))
                    .with("metrics.cloudwatch.enabled", "true")
                    .with("metrics.cloudwatch.namespace", "paypipe-it")
                    .with("metrics.cloudwatch.endpoint", "http://127.0.0.1:" + cloudWatch.getAddress().getPort())
                    .with("metrics.cloudwatch.step", "2s")
                    .with("metrics.tag.env", "it");
            Map<String, String> vars = new HashMap<>(env.toMap());
            vars.put("AWS_ACCESS_KEY_ID", "AKIDPAYPIPEIT");
            vars.put("AWS_SECRET_ACCESS_KEY", "paypipe-it-secret");
            vars.put("AWS_REGION", "eu-west-1");
            try (ChildJvm worker = ChildJvm.start(dir, "worker-cloudwatch", vars, "worker")) {
                try {
                    for (int i = 0; i < PAYMENTS; i++) {
                        publisher.publish(payments.request(i));
                    }
                    publisher.flush();
                    await("every payment final").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
                            .until(() -> {
                                assertThat(worker.isAlive()).as("worker alive:%n%s", worker.output()).isTrue();
                                return results.payments() == PAYMENTS;
                            });

                    // The registry sends its meters in batches of 20 per PutMetricData: wait for every batch
                    // that carries one of ours, not just the first.
                    await("PutMetricData with the payment meters").atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertThat(metricNames(puts))
                                    .contains("paypipe.results.count", "paypipe.gateway.latency.count",
                                            "paypipe.gateway.latency.sum", "paypipe.gateway.latency.percentile.value",
                                            "paypipe.worker.in.flight.value", "paypipe.gateway.charge.calls.count"));
                    String put = puts.stream().filter(r -> r.contains("MetricName=paypipe.results.count"))
                            .findFirst().orElseThrow();
                    assertThat(put).as("the results counter's PutMetricData").contains("Action=PutMetricData",
                            "Namespace=paypipe-it", "Name=service", "Value=payment-worker", "Name=status",
                            "Value=APPROVED", "Value=DECLINED", "Name=env", "Value=it");
                    assertThat(joined(puts)).as("the p99 series").contains("Name=phi&", "Value=0.99&");

                    String prometheus = get(URI.create("http://127.0.0.1:" + adminPort + "/metrics"));
                    assertThat(prometheus)
                            .containsPattern("paypipe_results_total\\{[^}]*service=\"payment-worker\"[^}]*status=\"APPROVED\"[^}]*\\} [1-9]")
                            .containsPattern("paypipe_gateway_latency_seconds\\{[^}]*quantile=\"0.99\"")
                            .containsPattern("paypipe_gateway_latency_seconds_count\\{[^}]*\\} [1-9]")
                            .containsPattern("paypipe_worker_in_flight\\{[^}]*service=\"payment-worker\"")
                            .contains("# TYPE paypipe_results_total counter");
                } catch (Throwable t) {
                    System.out.println("worker output:\n" + worker.output());
                    throw t;
                }
            }
        } finally {
            cloudWatch.stop(0);
        }
    }

    /** Every {@code MetricName} published so far. */
    private static Set<String> metricNames(List<String> puts) {
        Set<String> names = new TreeSet<>();
        for (String put : puts) {
            Matcher m = METRIC_NAME.matcher(put);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static String joined(List<String> puts) {
        return String.join("\n", puts);
    }

    /** Answers every call as CloudWatch answers PutMetricData and keeps the decoded form bodies. */
    private static HttpServer fakeCloudWatch(List<String> puts) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            puts.add(decode(body, exchange.getRequestHeaders().getFirst("Content-Encoding")));
            byte[] reply = ("<PutMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">"
                    + "<ResponseMetadata><RequestId>it</RequestId></ResponseMetadata></PutMetricDataResponse>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
        return server;
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

    private static String get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
