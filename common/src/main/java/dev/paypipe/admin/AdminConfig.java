package dev.paypipe.admin;

import dev.paypipe.config.ConfigException;
import dev.paypipe.config.ConfigSource;
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

    public AdminConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new ConfigException("admin.port", "invalid config admin.port=" + port + ": expected 0..65535");
        }
        token = token == null || token.isBlank() ? null : token.trim();
        if (token != null && token.length() < 16) {
            throw new ConfigException("admin.token", "invalid config admin.token (" + token.length()
                    + " characters): expected at least 16 characters, e.g. openssl rand -hex 32");
        }
    }

    public static AdminConfig from(ConfigSource config) {
        return new AdminConfig(config.bool("admin.enabled", true), config.string("admin.host", DEFAULT_HOST),
                config.intInRange("admin.port", DEFAULT_PORT, 0, 65535), config.string("admin.token", null));
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
