package dev.paypipe.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP/1.1 exchange over a bare socket, for what a real client library hides: bytes arriving one at a
 * time, or a connection reset before any byte.
 */
final class RawHttpConnection implements AutoCloseable {
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    RawHttpConnection(GatewaySimulator gateway) {
        try {
            socket = new Socket(gateway.baseUri().getHost(), gateway.port());
            in = socket.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void postCharge(String paymentId) {
        String body = GatewayTestClient.body(paymentId);
        String request = "POST /v1/charges HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + GatewayTestClient.API_KEY + "\r\nIdempotency-Key: " + paymentId + "\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
        try {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads whatever arrives until the line stays silent for {@code quiet}; returns false at end of stream.
     * A reset surfaces as the {@link IOException} of the read.
     */
    boolean readFor(Duration quiet) throws IOException {
        socket.setSoTimeout((int) quiet.toMillis());
        byte[] buffer = new byte[256];
        try {
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    return false;
                }
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException silent) {
            return true;
        }
    }

    String received() {
        return received.toString(StandardCharsets.UTF_8);
    }

    boolean headersComplete() {
        return received().contains("\r\n\r\n");
    }

    int declaredContentLength() {
        Matcher m = CONTENT_LENGTH.matcher(headers());
        if (!m.find()) {
            throw new AssertionError("no Content-Length in " + headers());
        }
        return Integer.parseInt(m.group(1));
    }

    String headers() {
        String all = received();
        int end = all.indexOf("\r\n\r\n");
        return end < 0 ? all : all.substring(0, end);
    }

    String body() {
        String all = received();
        int end = all.indexOf("\r\n\r\n");
        return end < 0 ? "" : all.substring(end + 4);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
