package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad configuration value stops a service at start-up, naming the key and the value, with exit code 2. */
class BadConfigurationTest {
    @Test
    void badValueStopsStartUpNamingTheKey(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var cli = PaypipeCommand.commandLine();
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        Path props = Files.writeString(dir.resolve("paypipe.properties"),
                "gateway.api-key=sk_test\nworker.max-in-flight=lots\n");

        int exit = cli.execute("worker", "--config", props.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("worker.max-in-flight", "lots");
    }
}
