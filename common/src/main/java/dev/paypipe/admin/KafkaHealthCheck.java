package dev.paypipe.admin;

import dev.paypipe.config.KafkaSettings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Ready when the Kafka cluster answers DescribeCluster within {@code timeout}. Owns its admin client. */
public final class KafkaHealthCheck implements HealthCheck, AutoCloseable {
    private final Admin admin;
    private final Duration timeout;

    public KafkaHealthCheck(KafkaSettings kafka, Duration timeout) {
        Map<String, Object> props = kafka.clientProperties();
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "paypipe-health");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        this.admin = Admin.create(props);
        this.timeout = timeout;
    }

    @Override
    public Result check() {
        try {
            int brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            return brokers > 0 ? Result.up(brokers + " broker(s) reachable") : Result.down("cluster reports no brokers");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.down("interrupted");
        } catch (ExecutionException e) {
            return Result.down("DescribeCluster failed: " + e.getCause());
        } catch (TimeoutException e) {
            return Result.down("no answer from the Kafka cluster within " + timeout.toMillis() + " ms");
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
