package dev.paypipe.cli.dev.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The share of the whole machine's CPU that was busy between two readings of {@code /proc/stat} (every process:
 * the bench's JVM with the broker, PostgreSQL, anything else). It tells whether a scenario's figure is bounded by
 * the design or by a machine with no idle core left: at "half the sustained rate" a 2-core box that runs broker,
 * database, simulator and pipeline may be far from half busy. Empty where {@code /proc/stat} cannot be read.
 */
final class MachineCpu {
    private static final Path STAT = Path.of("/proc/stat");

    private final long[] start;

    private MachineCpu(long[] start) {
        this.start = start;
    }

    /** Starts a measurement now. */
    static MachineCpu start() {
        return new MachineCpu(read());
    }

    /** The busy share of all cores since {@link #start()}, 0..1 rounded to 3 places, or -1 when unknown. */
    double busy() {
        long[] now = read();
        if (start == null || now == null || now[0] <= start[0]) {
            return -1;
        }
        double total = now[0] - start[0];
        double idle = now[1] - start[1];
        return Math.round((1 - idle / total) * 1000) / 1000.0;
    }

    /** {@code [all ticks, idle + iowait ticks]} of the aggregate {@code cpu} line, or null. */
    private static long[] read() {
        try {
            List<String> lines = Files.readAllLines(STAT);
            String[] f = lines.get(0).trim().split("\\s+"); // cpu user nice system idle iowait irq softirq steal ...
            if (!f[0].equals("cpu") || f.length < 6) {
                return null;
            }
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) { // guest and guest_nice are inside user already
                total += Long.parseLong(f[i]);
            }
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
