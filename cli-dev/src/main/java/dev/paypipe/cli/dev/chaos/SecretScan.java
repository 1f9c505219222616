package dev.paypipe.cli.dev.chaos;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * Watches every log line of this process (paypipe's loggers at DEBUG while it runs) and every dead-letter header a
 * campaign hands it for secrets: card tokens, raw card numbers, API keys, passwords. A line is its formatted message,
 * its key-value fields and its exception text, which is what the JSON encoder prints.
 */
public final class SecretScan extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private static final int MIN_SECRET_LENGTH = 6;
    private final Set<String> secrets = ConcurrentHashMap.newKeySet();
    private final AtomicLong lines = new AtomicLong();
    private final AtomicLong headers = new AtomicLong();
    private final AtomicLong leakCount = new AtomicLong();
    private final List<String> leaks = new CopyOnWriteArrayList<>();
    private final Logger paypipe;
    private final Level previousLevel;

    private SecretScan() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        setContext(context);
        setName("chaos-secret-scan");
        paypipe = context.getLogger("dev.paypipe");
        previousLevel = paypipe.getLevel();
    }

    /** Attaches to the root logger and turns paypipe's loggers to DEBUG until {@link #close}. */
    public static SecretScan attach() {
        SecretScan scan = new SecretScan();
        scan.start();
        ((LoggerContext) scan.getContext()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(scan);
        scan.paypipe.setLevel(Level.DEBUG);
        return scan;
    }

    /** A value that must never appear; too short to be told from ordinary text are ignored. */
    public void secret(String value) {
        if (value != null && value.length() >= MIN_SECRET_LENGTH) {
            secrets.add(value);
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        lines.incrementAndGet();
        StringBuilder line = new StringBuilder(event.getFormattedMessage());
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            pairs.forEach(p -> line.append(' ').append(p.key).append('=').append(p.value));
        }
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            line.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
        }
        check("log line of " + event.getLoggerName(), line.toString());
    }

    /** Checks every header of one dead letter. */
    public void deadLetter(String topic, Headers recordHeaders) {
        for (Header h : recordHeaders) {
            headers.incrementAndGet();
            check(topic + " header " + h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
        }
    }

    private void check(String where, String text) {
        for (String s : secrets) {
            if (text.contains(s)) {
                if (leakCount.incrementAndGet() <= CampaignReport.MAX_NOTES_PER_KIND) {
                    leaks.add(where + " carries a secret ending ..." + s.substring(s.length() - 4));
                }
                return;
            }
        }
    }

    public long linesScanned() {
        return lines.get();
    }

    public long headersScanned() {
        return headers.get();
    }

    /** The first few leaks found, each naming where. */
    public List<String> leaks() {
        return List.copyOf(leaks);
    }

    public long leakCount() {
        return leakCount.get();
    }

    /** Adds the scan's verdict: {@code secretLeaks} must be zero. */
    public void report(CampaignReport report) {
        report.count("secretLeaks", leakCount.get());
        leaks.forEach(l -> report.note("secretLeaks: " + l));
        report.figure("logLinesScanned", lines.get());
        report.figure("deadLetterHeadersScanned", headers.get());
    }

    @Override
    public void close() {
        ((LoggerContext) getContext()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(this);
        paypipe.setLevel(previousLevel);
        stop();
    }
}
