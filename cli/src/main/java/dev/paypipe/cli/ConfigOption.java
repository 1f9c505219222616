package dev.paypipe.cli;

import dev.paypipe.config.ConfigSource;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The shared {@code --config FILE} option: PAYPIPE_* environment variables over this properties file. */
final class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file; PAYPIPE_* environment variables override it.")
    Path file;

    ConfigSource load() {
        return ConfigSource.load(file);
    }
}
