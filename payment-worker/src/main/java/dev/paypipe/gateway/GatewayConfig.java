package dev.paypipe.gateway;

import dev.paypipe.config.ConfigException;
import dev.paypipe.config.ConfigSource;
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
        String url = config.string("gateway.base-url", "http://127.0.0.1:8089");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("gateway.base-url", "invalid config gateway.base-url='" + url
                    + "': not a URL (" + e.getMessage() + ")");
        }
        return new GatewayConfig(uri,
                config.requiredString("gateway.api-key"),
                config.duration("gateway.connect-timeout", Duration.ofSeconds(1), Duration.ofMillis(10),
                        Duration.ofMinutes(1)),
                config.duration("gateway.response-timeout", Duration.ofSeconds(5), Duration.ofMillis(10),
                        Duration.ofMinutes(5)),
                config.intInRange("gateway.max-connections", 1024, 1, 100_000),
                config.intInRange("gateway.io-threads", 2, 1, 64));
    }

    @Override
    public String toString() {
        return "GatewayConfig[baseUri=" + baseUri + ", apiKey=" + Masking.secret(apiKey) + ", connectTimeout="
                + connectTimeout + ", responseTimeout=" + responseTimeout + ", maxConnections=" + maxConnections
                + ", ioThreads=" + ioThreads + "]";
    }
}
