package dev.paypipe.gateway;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A raw-socket HTTP/1.1 server for gateway client tests: each request gets whatever the current
 * {@link Script} does with the socket (answer, hang, reset, drip), which a real HTTP server would not
 * let a test do. Keep-alive: requests on one connection are served in turn.
 */
final class ScriptedGatewayServer implements AutoCloseable {

    /** One request as the server read it. */
    record Request(String method, String target, String authorization, String idempotencyKey, int connection) {
    }

    /** What the server does with one request. */
    @FunctionalInterface
    interface Script {
        void answer(Request request, Socket socket, OutputStream out) throws IOException;
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final ScheduledExecutorService dripper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "scripted-gateway-drip");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<Script> script = new AtomicReference<>(respond(200,
            "{\"id\":\"ch_1\",\"status\":\"succeeded\"}"));
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger closedByClient = new AtomicInteger();

    ScriptedGatewayServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "scripted-gateway-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    void answer(Script next) {
        script.set(next);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** TCP connections accepted so far. */
    int connections() {
        return connections.get();
    }

    /** Connections the client closed (end of stream or reset seen while reading). */
    int closedByClient() {
        return closedByClient.get();
    }

    // ------------------------------------------------------------------ scripts

    /** A complete response with a Content-Length body; extra headers as "Name: value". */
    static Script respond(int status, String body, String... headers) {
        return (request, socket, out) -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(head(status, bytes.length, headers));
            out.write(bytes);
            out.flush();
        };
    }

    /** Reads the request and never answers. */
    static Script hang() {
        return (request, socket, out) -> {
        };
    }

    /** Reads the whole request, then resets the connection (RST) without a byte of response. */
    static Script resetAfterRequest() {
        return (request, socket, out) -> {
            socket.setSoLinger(true, 0);
            socket.close();
        };
    }

    /** Sends the status line and headers at once, then the body one byte every {@code every}. */
    Script drip(String body, Duration every) {
        return (request, socket, out) -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(head(200, bytes.length, new String[0]));
            out.flush();
            AtomicInteger next = new AtomicInteger();
            AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
            task.set(dripper.scheduleAtFixedRate(() -> {
                int i = next.getAndIncrement();
                try {
                    if (i >= bytes.length) {
                        task.get().cancel(false);
                        return;
                    }
                    out.write(bytes[i]);
                    out.flush();
                } catch (IOException e) {
                    task.get().cancel(false); // the client cut it off
                }
            }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS));
        };
    }

    private static byte[] head(int status, int length, String[] headers) {
        StringBuilder h = new StringBuilder("HTTP/1.1 ").append(status).append(" Status\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(length).append("\r\n");
        for (String header : headers) {
            h.append(header).append("\r\n");
        }
        return h.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    // ------------------------------------------------------------------ serving

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                int id = connections.incrementAndGet();
                Thread t = new Thread(() -> serve(socket, id), "scripted-gateway-conn-" + id);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket, int connection) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                Request request = read(in, connection);
                if (request == null) {
                    closedByClient.incrementAndGet();
                    return;
                }
                requests.add(request);
                script.get().answer(request, socket, out);
                if (socket.isClosed()) {
                    return;
                }
            }
        } catch (IOException e) {
            if (!server.isClosed()) {
                closedByClient.incrementAndGet();
            }
        }
    }

    /** Reads one request (head and Content-Length body); null at end of stream. */
    private static Request read(InputStream in, int connection) throws IOException {
        String requestLine = line(in);
        if (requestLine == null) {
            return null;
        }
        String authorization = null;
        String key = null;
        int length = 0;
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Integer.parseInt(value);
                case "authorization" -> authorization = value;
                case "idempotency-key" -> key = value;
                default -> {
                }
            }
        }
        in.readNBytes(length);
        String[] parts = requestLine.split(" ");
        return new Request(parts[0], parts[1], authorization, key, connection);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        dripper.shutdownNow();
    }
}
