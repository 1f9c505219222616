package dev.paypipe.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.paypipe.config.ConfigException;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * {@code --log-level LEVEL} for long-running commands: the level of paypipe's own loggers and the root
 * (Kafka, Netty and the AWS SDK stay at WARN). Without the option {@code PAYPIPE_LOG_LEVEL} applies
 * (read by logback.xml), default INFO.
 */
final class LogLevelOption {
    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "trace, debug, info, warn or error (default: $PAYPIPE_LOG_LEVEL, else info).")
    String level;

    void apply() {
        if (level == null) {
            return;
        }
        Level parsed = Level.toLevel(level.trim().toUpperCase(Locale.ROOT), null);
        if (parsed == null) {
            throw new ConfigException("log-level", "invalid --log-level '" + level
                    + "': expected trace, debug, info, warn or error");
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(parsed);
    }
}
