package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.paypipe.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogLevelOptionTest {

    @Test
    void logLevelSetsTheRootLevelAndAnUnknownLevelIsRefusedByName() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        LogLevelOption option = new LogLevelOption();
        try {
            option.level = "debug";
            option.apply();
            assertThat(root.getLevel()).isEqualTo(Level.DEBUG);

            option.level = "loud";
            assertThatThrownBy(option::apply).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("--log-level 'loud'");
            assertThat(root.getLevel()).as("unchanged by a refused value").isEqualTo(Level.DEBUG);
        } finally {
            root.setLevel(before);
        }
    }

    @Test
    void theWorkerCommandOffersTheLogLevelOption() {
        assertThat(PaypipeCommand.commandLine().getSubcommands().get("worker").getCommandSpec().findOption("--log-level"))
                .isNotNull();
        assertThat(PaypipeCommand.commandLine().getSubcommands().get("db-writer").getCommandSpec()
                .findOption("--log-level")).isNotNull();
        assertThat(PaypipeCommand.commandLine().getSubcommands().get("reconcile").getCommandSpec().findOption("--every"))
                .isNotNull();
    }
}
