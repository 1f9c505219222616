package dev.paypipe.cli;

import dev.paypipe.config.ConfigCatalog;
import dev.paypipe.config.ConfigSource;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** The shared {@code --config FILE} option: PAYPIPE_* environment variables over this properties file. */
final class ConfigOption {
    private static final Logger log = LoggerFactory.getLogger(ConfigOption.class);

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file; PAYPIPE_* environment variables override it.")
    Path file;

    ConfigSource load() {
        return ConfigSource.load(file);
    }

    /** {@link #load()} for a service: each properties key and {@code PAYPIPE_*} variable nobody declared is logged. */
    ConfigSource loadForService() {
        ConfigSource source = load();
        warnUnknown(source, log);
        return source;
    }

    /** One WARN line per unknown name: a typo would otherwise read as the default. Values are never logged. */
    static void warnUnknown(ConfigSource source, Logger log) {
        for (ConfigCatalog.Unknown unknown : PaypipeConfigKeys.catalog().unknown(source)) {
            log.atWarn().setMessage("unknown config key ignored").addKeyValue("event", "config_key_unknown")
                    .addKeyValue("key", unknown.name()).addKeyValue("origin", unknown.origin())
                    .addKeyValue("closest", unknown.closest()).log();
        }
    }
}
