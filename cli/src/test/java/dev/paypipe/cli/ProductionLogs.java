package dev.paypipe.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;

/** Logs through the production {@code logback.xml} in a context of its own and returns what it wrote to stdout. */
final class ProductionLogs {
    private ProductionLogs() {
    }

    static String capture(Consumer<Logger> logging) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            URL config = ProductionLogs.class.getClassLoader().getResource("logback.xml");
            if (config == null) {
                throw new IllegalStateException("the production logback.xml is not on the test classpath");
            }
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(config);
            logging.accept(context.getLogger("dev.paypipe.test"));
        } finally {
            context.stop();
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).trim();
    }
}
