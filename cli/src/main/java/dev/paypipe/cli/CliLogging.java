package dev.paypipe.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** Log settings for commands that print their own progress (demo, bench). */
public final class CliLogging {
    private CliLogging() {
    }

    /** Components only speak up when something is wrong. */
    public static void quiet() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        for (Logger logger : context.getLoggerList()) {
            if (logger.getLevel() != null) {
                logger.setLevel(Level.ERROR);
            }
        }
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.ERROR);
        context.getLogger("io.zonky").setLevel(Level.OFF); // noisy about temp-dir clean-up at exit
    }
}
