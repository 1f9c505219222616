package dev.paypipe.cli.dev;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real headless Chromium for tests of HTML pages: Debian's {@code chromium} package ({@code .ci/run} installs it),
 * or the binary named by {@code CHROMIUM}. Each call runs one browser with its own profile directory and no network
 * services, and fails the test with the browser's output when it does not finish within a minute.
 */
final class HeadlessChromium {
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");

    private final Path binary;
    private final Path workDir;

    private HeadlessChromium(Path binary, Path workDir) {
        this.binary = binary;
        this.workDir = workDir;
    }

    /** The browser on this machine; a test that needs one fails (never skips) when there is none. */
    static HeadlessChromium find(Path workDir) {
        String configured = System.getenv("CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (!Files.isExecutable(p)) {
                throw new AssertionError("CHROMIUM=" + configured + " is not an executable file");
            }
            return new HeadlessChromium(p, workDir);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : NAMES) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return new HeadlessChromium(p, workDir);
                }
            }
        }
        throw new AssertionError("no headless browser found (looked for " + NAMES + " on PATH and $CHROMIUM): "
                + "install Debian's chromium package (apt-get install -y chromium; .ci/run does this) or set CHROMIUM");
    }

    /** The page's DOM after loading and rendering, as the browser serialises it. */
    String dumpDom(Path page) throws IOException, InterruptedException {
        return run("dom", page, "--dump-dom");
    }

    /** A PNG of the page's first {@code width x height} pixels. */
    Path screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        run("screenshot", page, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height);
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("chromium wrote no screenshot to " + png);
        }
        return png;
    }

    private String run(String name, Path page, String... flags) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
        Path stdout = workDir.resolve(name + ".out");
        Path stderr = workDir.resolve(name + ".err");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath()));
        command.addAll(List.of(flags));
        command.add(page.toAbsolutePath().toUri().toString());
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish within 60 s: " + Files.readString(stderr));
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("chromium exited " + process.exitValue() + ": " + Files.readString(stderr));
        }
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }
}
