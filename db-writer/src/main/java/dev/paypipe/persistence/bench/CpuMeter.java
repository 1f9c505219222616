package dev.paypipe.persistence.bench;

import dev.paypipe.persistence.DbWriter;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CPU time spent by this JVM (the db-writer and the in-process broker) and by a local PostgreSQL
 * server (the postmaster and all its processes, live and ended), read from {@code /proc}. A phase's
 * CPU per row depends far less on what else runs on the machine than its wall-clock rate, so the bench
 * reports both. Where {@code /proc} or the server's processes cannot be read (a remote database, not
 * Linux), the PostgreSQL figure is absent.
 */
final class CpuMeter {
    /** Linux's USER_HZ: {@code /proc/<pid>/stat} counts CPU time in 1/100 s on every common platform. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private static final Pattern CONSUMER_THREAD = Pattern.compile(Pattern.quote(DbWriter.APPLICATION_NAME) + "-\\d+");

    private final long postmasterPid;

    private CpuMeter(long postmasterPid) {
        this.postmasterPid = postmasterPid;
    }

    /** A meter for the server behind {@code connection}; PostgreSQL's share is unknown when it is not local. */
    static CpuMeter of(Connection connection) {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            long backend = rs.getLong(1);
            long[] stat = stat(Path.of("/proc", Long.toString(backend), "stat"));
            return new CpuMeter(stat == null ? -1 : stat[0]);
        } catch (SQLException e) {
            return new CpuMeter(-1);
        }
    }

    /** CPU consumed so far. */
    Sample sample() {
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long jitMillis = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
        long gcMillis = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
        return new Sample(jvm, consumerThreadsNanos(), postgresNanos(), jitMillis, gcMillis);
    }

    /**
     * CPU consumed between two samples: the whole JVM, its db-writer consumer threads (poll, decode, collapse,
     * encode; the rest of the JVM is the broker, GC and the JIT), PostgreSQL, and the JIT's and the
     * GC's own accounts of their time (milliseconds, as the JVM reports them).
     */
    record Sample(long jvmNanos, long consumerThreadsNanos, OptionalLong postgresNanos, long jitMillis,
            long gcMillis) {
        Sample minus(Sample earlier) {
            OptionalLong pg = postgresNanos.isPresent() && earlier.postgresNanos.isPresent()
                    ? OptionalLong.of(postgresNanos.getAsLong() - earlier.postgresNanos.getAsLong())
                    : OptionalLong.empty();
            return new Sample(jvmNanos - earlier.jvmNanos, consumerThreadsNanos - earlier.consumerThreadsNanos, pg,
                    jitMillis - earlier.jitMillis, gcMillis - earlier.gcMillis);
        }
    }

    /** The db-writer's consumer threads ({@code paypipe-db-writer-<i>}) alive now. */
    private static long consumerThreadsNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && CONSUMER_THREAD.matcher(info.getThreadName()).matches()) {
                sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    /** The postmaster's own and its reaped children's CPU plus that of its live children. */
    private OptionalLong postgresNanos() {
        if (postmasterPid <= 0) {
            return OptionalLong.empty();
        }
        long[] postmaster = stat(Path.of("/proc", Long.toString(postmasterPid), "stat"));
        if (postmaster == null) {
            return OptionalLong.empty();
        }
        long ticks = postmaster[1] + postmaster[2];
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            ticks += procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .map(p -> stat(p.resolve("stat")))
                    .filter(s -> s != null && s[0] == postmasterPid)
                    .mapToLong(s -> s[1])
                    .sum();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(ticks * NANOS_PER_TICK);
    }

    /**
     * {@code [ppid, utime+stime, cutime+cstime]} in ticks of one process, or null when it is gone.
     * The command name (field 2) may hold spaces and parentheses, so fields are counted after the last ')'.
     */
    private static long[] stat(Path file) {
        String line;
        try {
            line = Files.readString(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
        // after the name: [0]=state [1]=ppid ... [11]=utime [12]=stime [13]=cutime [14]=cstime
        long own = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        long children = Long.parseLong(f[13]) + Long.parseLong(f[14]);
        return new long[] {Long.parseLong(f[1]), own, children};
    }
}
