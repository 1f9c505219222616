package dev.paypipe.admin;

import dev.paypipe.config.ConfigKey;
import dev.paypipe.config.ConfigSource;
import dev.paypipe.config.ConfigTable;
import dev.paypipe.model.Masking;
import java.util.Objects;

/**
 * The admin HTTP endpoint of a process: {@code admin.enabled} (default true), {@code admin.host}
 * (default {@value #DEFAULT_HOST}: only this machine), {@code admin.port} (default
 * {@value #DEFAULT_PORT}; 0 picks a free port) and {@code admin.token}, the bearer token for
 * {@code /admin/*}. Without a token the {@code /admin/*} endpoints answer 403; health and metrics
 * stay open.
 */
public record AdminConfig(boolean enabled, String host, int port, String token) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8081;

    /** The {@code admin.*} keys of every service process. */
    public static final ConfigTable KEYS = new ConfigTable("admin", "The admin HTTP endpoint of each process.");
    public static final ConfigKey<Boolean> ENABLED = KEYS.key("admin.enabled").bool(true)
            .doc("Serve /health, /metrics and /admin on admin.host:admin.port.");
    public static final ConfigKey<String> HOST = KEYS.key("admin.host").string(DEFAULT_HOST)
            .nonBlank("a host name or address").doc("Bind address; the default serves only this machine.");
    public static final ConfigKey<Integer> PORT = KEYS.key("admin.port").integer(DEFAULT_PORT).between(0, 65535)
            .doc("Port; give each process on one host its own, 0 picks a free one.");
    public static final ConfigKey<String> TOKEN = KEYS.key("admin.token").password()
            .check("at least 16 characters, e.g. openssl rand -hex 32", t -> t.isBlank() || t.trim().length() >= 16)
            .doc("Bearer token for /admin/*; without one they answer 403 (health and metrics stay open).");

    public AdminConfig {
        Objects.requireNonNull(host, "host");
        PORT.check(port);
        token = token == null || token.isBlank() ? null : TOKEN.check(token.trim());
    }

    public static AdminConfig from(ConfigSource config) {
        return new AdminConfig(config.get(ENABLED), config.get(HOST), config.get(PORT), config.get(TOKEN));
    }

    /** Loopback, a free port, with this token: for tests and the demo. */
    public static AdminConfig local(String token) {
        return new AdminConfig(true, DEFAULT_HOST, 0, token);
    }

    public boolean hasToken() {
        return token != null;
    }

    @Override
    public String toString() {
        return "AdminConfig[enabled=" + enabled + ", host=" + host + ", port=" + port + ", token="
                + Masking.secret(token) + "]";
    }
}
