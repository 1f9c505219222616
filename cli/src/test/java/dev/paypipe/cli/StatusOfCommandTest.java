package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code paypipe status-of} against a stand-in for the ledger's status endpoint. */
class StatusOfCommandTest {
    private static final String RETRYING = "{\"paymentId\":\"pay-1\",\"state\":\"RETRYING\",\"attempts\":2}";
    private HttpServer ledger;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void startLedgerStandIn() throws Exception {
        ledger = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ledger.createContext("/payments/", exchange -> {
            boolean known = exchange.getRequestURI().getPath().equals("/payments/pay-1");
            byte[] body = (known ? RETRYING : "{\"paymentId\":\"pay-2\",\"error\":\"unknown payment\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(known ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        ledger.start();
        original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setOut(original);
        ledger.stop(0);
    }

    private int run(String id) {
        return PaypipeCommand.commandLine().execute("status-of", "--url",
                "http://127.0.0.1:" + ledger.getAddress().getPort(), id);
    }

    @Test
    void printsTheLedgersJsonAndExitsZeroForAKnownPayment() {
        assertThat(run("pay-1")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(RETRYING);
    }

    @Test
    void exitsOneForAnUnknownPayment() {
        assertThat(run("pay-2")).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("unknown payment");
    }

    @Test
    void exitsThreeWhenTheLedgerIsUnreachable() {
        ledger.stop(0);

        assertThat(run("pay-1")).isEqualTo(3);
    }
}
