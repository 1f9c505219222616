package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paypipe.admin.AdminConfig;
import dev.paypipe.admin.ProcessOperations;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.control.ProcessInstance;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import dev.paypipe.worker.PaymentWorker;
import dev.paypipe.worker.WorkerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code POST /admin/pause} on a real worker's admin endpoint: refused without the bearer token, a fleet pause with it. */
@ExtendWith(PaypipeInfraExtension.class)
class AdminPauseIT {
    private static final String TOKEN = "it-admin-token-0123456789abcdef";

    @Test
    void adminPauseWithoutTheTokenIs401AndWithItPausesTheWorker(KafkaBroker kafka) throws Exception {
        KafkaSettings topics = kafka.freshTopics(2);
        try (GatewaySimulator sim = GatewaySimulator.start(SimulatorConfig.defaults());
                PaymentWorker worker = new PaymentWorker(WorkerConfig.of(topics,
                        GatewayConfig.of(sim.baseUri(), SimulatorConfig.DEFAULT_API_KEY)), new SimpleMeterRegistry())) {
            ProcessInstance instance = ProcessInstance.current("payment-worker", Instant.now());
            try (ProcessOperations ops = ProcessOperations.builder(topics, instance, worker, worker.statusSource(instance))
                    .admin(AdminConfig.local(TOKEN)).start()) {
                worker.start();
                URI pause = URI.create(ops.admin().orElseThrow().baseUri() + "/admin/pause?reason=INC-7&by=dana");

                assertThat(post(pause, null).statusCode()).as("no token").isEqualTo(401);
                assertThat(post(pause, "not-the-token-0123456789").statusCode()).as("wrong token").isEqualTo(401);
                assertThat(worker.operatorPause()).as("refused requests change nothing").isEmpty();

                HttpResponse<String> accepted = post(pause, TOKEN);

                assertThat(accepted.statusCode()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(1)).until(() -> worker.operatorPause().isPresent());
                assertThat(worker.operatorPause().get().by()).isEqualTo("dana");
                assertThat(worker.operatorPause().get().reason()).isEqualTo("INC-7");
                assertThat(worker.statusSource(instance).status().paused()).isTrue();
                assertThat(ops.orders().paused()).as("published as the fleet's order").isTrue();

                assertThat(post(URI.create(ops.admin().orElseThrow().baseUri() + "/admin/resume"), TOKEN).statusCode())
                        .isEqualTo(200);
                await().atMost(Duration.ofSeconds(1)).until(() -> worker.operatorPause().isEmpty());
            }
        }
    }

    private static HttpResponse<String> post(URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
