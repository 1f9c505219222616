package dev.paypipe.gateway;

import dev.paypipe.config.ConfigException;
import dev.paypipe.config.ConfigKey;
import dev.paypipe.config.ConfigSource;
import dev.paypipe.config.ConfigTable;
import dev.paypipe.model.Masking;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the payment gateway.
 *
 * @param baseUri e.g. {@code https://gateway.example.com}; {@code /v1/charges} is appended
 * @param apiKey sent as {@code Authorization: Bearer}; never logged
 * @param connectTimeout TCP connect timeout; a connect failure is always safe to retry
 * @param responseTimeout total deadline of each charge and look-up, from the call (not between bytes);
 *     a charge cut off after sending is ambiguous
 * @param maxConnections connection pool size; at least the worker's max in-flight calls
 * @param ioThreads I/O reactor threads of the async client
 */
public record GatewayConfig(URI baseUri, String apiKey, Duration connectTimeout, Duration responseTimeout,
        int maxConnections, int ioThreads) {

    /** The {@code gateway.*} keys of the worker and of reconcile. */
    public static final ConfigTable KEYS = new ConfigTable("gateway", "How workers reach the payment gateway.");
    public static final ConfigKey<String> BASE_URL = KEYS.key("gateway.base-url").string("http://127.0.0.1:8089")
            .check("an http:// or https:// URL", GatewayConfig::isHttpUrl)
            .doc("The gateway; /v1/charges is appended.");
    public static final ConfigKey<String> API_KEY = KEYS.key("gateway.api-key").password().required()
            .doc("Bearer token sent to the gateway; never logged.");
    public static final ConfigKey<Duration> CONNECT_TIMEOUT = KEYS.key("gateway.connect-timeout")
            .duration(Duration.ofSeconds(1)).between(Duration.ofMillis(10), Duration.ofMinutes(1))
            .doc("TCP connect timeout; a connect failure is always safe to retry.");
    public static final ConfigKey<Duration> RESPONSE_TIMEOUT = KEYS.key("gateway.response-timeout")
            .duration(Duration.ofSeconds(5)).between(Duration.ofMillis(10), Duration.ofMinutes(5))
            .doc("Total deadline of every charge and look-up, from the send; a charge cut off is ambiguous and looked"
                    + " up before it is charged again.");
    public static final ConfigKey<Integer> MAX_CONNECTIONS = KEYS.key("gateway.max-connections").integer(1024)
            .between(1, 100_000).doc("Connection pool size; must be >= worker.max-in-flight.");
    public static final ConfigKey<Integer> IO_THREADS = KEYS.key("gateway.io-threads").integer(2).between(1, 64)
            .doc("I/O reactor threads of the async HTTP client.");

    public GatewayConfig {
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(apiKey, "apiKey");
        if (!"http".equals(baseUri.getScheme()) && !"https".equals(baseUri.getScheme())) {
            throw new ConfigException("gateway.base-url", "invalid config gateway.base-url='" + baseUri
                    + "': expected an http:// or https:// URL");
        }
        if (maxConnections < 1) {
            throw new ConfigException("gateway.max-connections", "gateway.max-connections must be >= 1, was "
                    + maxConnections);
        }
    }

    public static GatewayConfig of(URI baseUri, String apiKey) {
        return new GatewayConfig(baseUri, apiKey, Duration.ofSeconds(1), Duration.ofSeconds(5), 1024, 2);
    }

    public static GatewayConfig from(ConfigSource config) {
        return new GatewayConfig(URI.create(config.get(BASE_URL)), config.get(API_KEY), config.get(CONNECT_TIMEOUT),
                config.get(RESPONSE_TIMEOUT), config.get(MAX_CONNECTIONS), config.get(IO_THREADS));
    }

    private static boolean isHttpUrl(String url) {
        try {
            String scheme = URI.create(url).getScheme();
            return "http".equals(scheme) || "https".equals(scheme);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "GatewayConfig[baseUri=" + baseUri + ", apiKey=" + Masking.secret(apiKey) + ", connectTimeout="
                + connectTimeout + ", responseTimeout=" + responseTimeout + ", maxConnections=" + maxConnections
                + ", ioThreads=" + ioThreads + "]";
    }
}
