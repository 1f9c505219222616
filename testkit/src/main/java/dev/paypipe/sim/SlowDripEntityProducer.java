package dev.paypipe.sim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;

/**
 * A complete, correct body (with its {@code Content-Length}) that is released one byte per
 * {@code intervalNanos}: the first byte at once, each next one on a {@link ResponseTimer} tick that asks
 * the I/O reactor for output. No thread waits on it, and it stops ticking once the exchange is released
 * (the client read it all, or went away).
 */
final class SlowDripEntityProducer implements AsyncEntityProducer {
    private final byte[] body;
    private final ContentType contentType;
    private final long intervalNanos;
    private final ResponseTimer timer;
    private final Runnable onEnd;
    /** Bytes the client may have so far; only the tick raises it. */
    private final AtomicInteger released = new AtomicInteger(1);
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile DataStreamChannel channel;
    /** Bytes written; touched on the I/O thread only. */
    private int written;

    SlowDripEntityProducer(byte[] body, ContentType contentType, long intervalNanos, ResponseTimer timer,
            Runnable onEnd) {
        if (body.length == 0) {
            throw new IllegalArgumentException("a slow drip needs at least one byte");
        }
        this.body = body;
        this.contentType = contentType;
        this.intervalNanos = intervalNanos;
        this.timer = timer;
        this.onEnd = onEnd;
    }

    @Override
    public int available() {
        return ended.get() ? 0 : released.get() - written;
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
        this.channel = channel;
        if (started.compareAndSet(false, true) && body.length > 1) {
            timer.schedule(intervalNanos, this::releaseNextByte);
        }
        int allowed = released.get();
        while (written < allowed) {
            int n = channel.write(ByteBuffer.wrap(body, written, allowed - written));
            if (n <= 0) {
                return; // socket buffer full: the reactor calls again when it drains
            }
            written += n;
        }
        if (written == body.length) {
            channel.endStream();
            end();
        }
    }

    private void releaseNextByte() {
        if (ended.get()) {
            return;
        }
        int now = released.incrementAndGet();
        channel.requestOutput();
        if (now < body.length) {
            timer.schedule(intervalNanos, this::releaseNextByte);
        }
    }

    @Override
    public void failed(Exception cause) {
        end();
    }

    @Override
    public void releaseResources() {
        end();
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            onEnd.run();
        }
    }

    @Override
    public boolean isRepeatable() {
        return false;
    }

    @Override
    public long getContentLength() {
        return body.length;
    }

    @Override
    public String getContentType() {
        return contentType.toString();
    }

    @Override
    public String getContentEncoding() {
        return null;
    }

    @Override
    public boolean isChunked() {
        return false;
    }

    @Override
    public Set<String> getTrailerNames() {
        return null;
    }
}
