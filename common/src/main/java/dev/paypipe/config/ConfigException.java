package dev.paypipe.config;

/** A configuration value that cannot be used. The message names the key, the value and the rule. */
public class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
