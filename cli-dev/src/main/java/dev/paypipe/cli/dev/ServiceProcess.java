package dev.paypipe.cli.dev;

import dev.paypipe.cli.PaypipeCommand;
import dev.paypipe.config.ConfigSource;
import dev.paypipe.testkit.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A paypipe service ({@code worker}, {@code ledger}, {@code db-writer}) in its own JVM, started with
 * this JVM's java binary and classpath running {@code dev.paypipe.cli.PaypipeCommand}, so it can be
 * killed for real: {@link #kill()} is SIGKILL (no shutdown hook, no drain, no commit), {@link #terminate()}
 * is SIGTERM (the shutdown hook drains, commits and leaves the group). Its configuration goes in as
 * {@code PAYPIPE_*} environment variables (none are inherited from this process), its output to one log
 * file per start, and its admin endpoint listens on a port chosen here, so {@link #awaitReady} can ask
 * {@code /health/ready} and a {@link #restart()} keeps the same address and settings.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Xshare:auto");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Spec spec;
    private final int adminPort;
    private Process process;
    private Path log;
    private int starts;

    /**
     * What to run: {@code command} and its {@code args}, config keys as dotted names
     * ({@code worker.max-in-flight}, {@code kafka.client.session.timeout.ms}), JVM options, and where logs go.
     */
    public record Spec(String name, String command, List<String> args, Map<String, String> config,
            List<String> jvmOptions, Path logDir) {
        public Spec {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(logDir, "logDir");
            args = List.copyOf(args);
            config = Map.copyOf(config);
            jvmOptions = List.copyOf(jvmOptions);
        }

        /** {@code paypipe <command>} named {@code name}, with the default JVM options and no config yet. */
        public static Spec of(String name, String command, Path logDir) {
            return new Spec(name, command, List.of(), Map.of(), DEFAULT_JVM_OPTIONS, logDir);
        }

        /** This spec with {@code key=value} added (a dotted config key, set as its {@code PAYPIPE_*} variable). */
        public Spec with(String key, String value) {
            Map<String, String> more = new LinkedHashMap<>(config);
            more.put(key, value);
            return new Spec(name, command, args, more, jvmOptions, logDir);
        }

        /** This spec with every entry of {@code settings} added. */
        public Spec withAll(Map<String, String> settings) {
            Map<String, String> more = new LinkedHashMap<>(config);
            more.putAll(settings);
            return new Spec(name, command, args, more, jvmOptions, logDir);
        }

        /** This spec with another name (its log files are named after it). */
        public Spec named(String other) {
            return new Spec(other, command, args, config, jvmOptions, logDir);
        }

        public Spec withArgs(String... more) {
            return new Spec(name, command, List.of(more), config, jvmOptions, logDir);
        }

        public Spec withJvmOptions(List<String> options) {
            return new Spec(name, command, args, config, options, logDir);
        }
    }

    private ServiceProcess(Spec spec, int adminPort) {
        this.spec = spec;
        this.adminPort = adminPort;
    }

    /**
     * Starts {@code spec} in a child JVM. Unless the spec sets {@code admin.port}, the admin endpoint gets a
     * free loopback port picked now and kept across restarts.
     */
    public static ServiceProcess start(Spec spec) {
        String port = spec.config().get("admin.port");
        int adminPort = port == null || port.equals("0") ? Ports.free() : Integer.parseInt(port);
        ServiceProcess service = new ServiceProcess(spec.with("admin.port", Integer.toString(adminPort)), adminPort);
        service.launch();
        return service;
    }

    private synchronized void launch() {
        try {
            Files.createDirectories(spec.logDir());
            starts++;
            log = spec.logDir().resolve(spec.name() + "-" + starts + "-" + System.nanoTime() + ".log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(spec.jvmOptions());
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(PaypipeCommand.class.getName());
            command.add(spec.command());
            command.addAll(spec.args());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("PAYPIPE_"));
            spec.config().forEach((key, value) -> builder.environment().put(ConfigSource.envName(key), value));
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + spec.name() + " (paypipe " + spec.command()
                    + ") in a child JVM; log " + log, e);
        }
    }

    public String name() {
        return spec.name();
    }

    public Spec spec() {
        return spec;
    }

    public synchronized boolean isAlive() {
        return process.isAlive();
    }

    public synchronized long pid() {
        return process.pid();
    }

    /** How many times this service was started (1 before the first restart). */
    public synchronized int starts() {
        return starts;
    }

    /** The admin endpoint, e.g. {@code http://127.0.0.1:41234}. */
    public URI adminUri() {
        return URI.create("http://127.0.0.1:" + adminPort);
    }

    /** SIGKILL, then waits until the process is gone: nothing is drained or committed. */
    public void kill() {
        Process p = current();
        p.destroyForcibly();
        waitFor(p, Duration.ofSeconds(30));
    }

    /**
     * SIGTERM, then waits up to {@code timeout} for the shutdown hook to finish; SIGKILL after that.
     * Returns the exit code (143 after a SIGTERM that ended the JVM through its hooks).
     */
    public int terminate(Duration timeout) {
        Process p = current();
        p.destroy();
        if (!waitFor(p, timeout)) {
            p.destroyForcibly();
            waitFor(p, Duration.ofSeconds(30));
        }
        return p.exitValue();
    }

    /** SIGTERM with a minute for the drain. */
    public int terminate() {
        return terminate(Duration.ofMinutes(1));
    }

    /** Waits up to {@code timeout} for the process to end by itself; true when it has. */
    public boolean awaitExit(Duration timeout) {
        return waitFor(current(), timeout);
    }

    /** Starts the service again with the same settings and admin port; the old process must be gone. */
    public void restart() {
        if (isAlive()) {
            throw new IllegalStateException(spec.name() + " (pid " + pid() + ") is still running: kill or terminate it first");
        }
        launch();
    }

    /**
     * Polls {@code /health/ready} until it answers 200, up to {@code timeout}. Fails with the log's tail
     * when the process exits first or the time runs out.
     */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(adminUri().resolve("/health/ready")).timeout(Duration.ofSeconds(2))
                .GET().build();
        while (true) {
            if (!isAlive()) {
                throw new IllegalStateException(spec.name() + " exited with " + current().exitValue()
                        + " before it was ready; log " + log + ":\n" + tail(40));
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + spec.name() + " to be ready", e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(spec.name() + " not ready at " + adminUri() + "/health/ready after "
                        + timeout + "; log " + log + ":\n" + tail(40));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    /** The log file of the current (latest) start. */
    public synchronized Path log() {
        return log;
    }

    /** The current start's output so far. */
    public String output() {
        Path current = log();
        try {
            return Files.readString(current);
        } catch (IOException e) {
            return "(cannot read " + current + ": " + e + ")";
        }
    }

    /** The last {@code lines} lines of the current start's output. */
    public String tail(int lines) {
        List<String> all = output().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private synchronized Process current() {
        return process;
    }

    private static boolean waitFor(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for pid " + p.pid() + " to exit", e);
        }
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        if (isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return spec.name() + "(paypipe " + spec.command() + ", pid " + pid() + ", admin " + adminUri() + ")";
    }
}
