package dev.paypipe.cli;

import dev.paypipe.config.ConfigException;
import dev.paypipe.config.ConfigKey;
import dev.paypipe.config.ConfigSource;
import dev.paypipe.config.ConfigTable;
import dev.paypipe.ledger.LedgerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Asks the ledger for one payment's state and prints its JSON; exit code 1 when the ledger does not know it. */
@Command(name = "status-of", mixinStandardHelpOptions = true,
        description = "Print a payment's state from the ledger (ACCEPTED, RETRYING with attempt and due time, or FINAL "
                + "with its result) as JSON. Exit code 0 found, 1 unknown payment, 3 ledger unreachable or not ready.")
final class StatusOfCommand implements Callable<Integer> {
    /** The operator's key for where the ledger listens. */
    static final ConfigTable KEYS = new ConfigTable("status-of", "Where paypipe status-of finds a ledger.");
    static final ConfigKey<String> LEDGER_URL = KEYS.key("ledger.url").string(null)
            .check("http://host:port", v -> v.startsWith("http://") || v.startsWith("https://"))
            .defaultText("http://127.0.0.1:<ledger.http-port>")
            .doc("A ledger's status endpoint, for status-of (--url wins).");

    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "PAYMENT_ID", description = "The paymentId to look up.")
    String paymentId;

    @Option(names = "--url", paramLabel = "URL",
            description = "The ledger's status endpoint (default: ledger.url, else http://127.0.0.1:<ledger.http-port>).")
    String url;

    @Override
    public Integer call() {
        URI base = URI.create(url != null ? url : ledgerUrl(config.load()));
        URI uri = base.resolve("/payments/" + URLEncoder.encode(paymentId, StandardCharsets.UTF_8));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println(r.body());
            return switch (r.statusCode()) {
                case 200 -> 0;
                case 404 -> 1;
                default -> 3;
            };
        } catch (IOException e) {
            System.err.println("paypipe: ledger at " + base + " unreachable (" + e.getMessage()
                    + "): is `paypipe ledger` running? Set ledger.url or --url to where it listens.");
            return 3;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 3;
        }
    }

    static String ledgerUrl(ConfigSource source) {
        String configured = source.get(LEDGER_URL);
        if (configured != null) {
            return configured;
        }
        int port = source.get(LedgerConfig.HTTP_PORT);
        if (port == 0) {
            throw new ConfigException(LedgerConfig.HTTP_PORT.name(), "ledger.http-port=0 picks a free port, so "
                    + "status-of cannot know it: set ledger.url or --url to where the ledger listens");
        }
        return "http://127.0.0.1:" + port;
    }
}
