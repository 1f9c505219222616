package dev.paypipe.cli;

import dev.paypipe.config.ConfigCatalog;
import dev.paypipe.config.ConfigException;
import dev.paypipe.config.ConfigKey;
import dev.paypipe.config.ConfigSource;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code paypipe config --print}: the effective configuration, each value with its source, secrets masked, and what
 * is wrong with it; {@code paypipe config --reference}: the configuration reference ({@code docs/configuration.md}).
 */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the effective configuration (--print: every key's value and source, secrets masked, invalid "
                + "values and unknown keys flagged; exit code 2 when a value is invalid) or the configuration "
                + "reference in Markdown (--reference, the content of docs/configuration.md).")
final class ConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @ArgGroup(multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(names = "--print", required = true, description = "The effective configuration.")
        boolean print;

        @Option(names = "--reference", required = true, description = "The configuration reference (Markdown).")
        boolean reference;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (mode.reference) {
            out.print(ConfigReference.markdown());
            out.flush();
            return 0;
        }
        return print(config.load(), out);
    }

    /** Prints the effective configuration; 2 when a value is invalid, else 0. */
    static int print(ConfigSource source, PrintWriter out) {
        ConfigCatalog catalog = PaypipeConfigKeys.catalog();
        List<ConfigCatalog.Effective> lines = catalog.effective(source);
        int keyWidth = lines.stream().mapToInt(l -> l.key().length()).max().orElse(0);
        int valueWidth = Math.min(40, lines.stream().mapToInt(l -> l.value().length()).max().orElse(0));
        String file = source.propertiesOrigin().startsWith("properties file") ? source.propertiesOrigin() + " over " : "";
        out.println("# effective paypipe configuration: environment variables (PAYPIPE_*) over " + file
                + "defaults; secrets masked");
        int invalid = 0;
        for (ConfigCatalog.Effective line : lines) {
            String problem = catalog.key(line.key()).map(key -> problem(key, source)).orElse(null);
            out.printf("%-" + keyWidth + "s = %-" + valueWidth + "s  (%s)%s%n", line.key(), line.value(), line.source(),
                    problem == null ? "" : "  INVALID: " + problem);
            invalid += problem == null ? 0 : 1;
        }
        for (ConfigCatalog.Unknown unknown : catalog.unknown(source)) {
            out.println("# unknown, ignored: " + unknown.name() + " (" + unknown.origin() + ")"
                    + (unknown.closest() == null ? "" : "; did you mean " + unknown.closest() + "?"));
        }
        out.flush();
        return invalid == 0 ? 0 : 2;
    }

    /** What start-up would say about this key's value, or null when it is fine or unset (a default or not needed). */
    private static String problem(ConfigKey<?> key, ConfigSource source) {
        if (source.rawValue(key.name()).isEmpty()) {
            return null;
        }
        try {
            source.get(key);
            return null;
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }
}
