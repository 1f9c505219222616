package dev.paypipe.cli;

import dev.paypipe.config.ConfigKey;
import dev.paypipe.config.ConfigTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes {@code docs/configuration.md} from the declared tables ({@link PaypipeConfigKeys}): key, type, default, valid
 * values, environment variable, the commands that read it and its doc. {@code ConfigReferenceTest} fails the build
 * when the checked-in file differs; regenerate it with {@link #main} or {@code ./paypipe config --reference}.
 */
public final class ConfigReference {
    /** Where the reference lives, from the repository root. */
    public static final String PATH = "docs/configuration.md";
    /** How to regenerate it, for the drift test's message and the page itself. */
    public static final String REGENERATE = "./paypipe config --reference > " + PATH;

    private ConfigReference() {
    }

    /** Regenerates the reference: {@code java -cp <cli classpath> dev.paypipe.cli.ConfigReference [docs/configuration.md]}. */
    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0] : PATH);
        Files.writeString(target, markdown(), StandardCharsets.UTF_8);
        System.out.println("wrote " + target);
    }

    /** The whole page. */
    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n")
                .append("<!-- Generated from the declared config tables: do not edit. Regenerate with `")
                .append(REGENERATE).append("`; ConfigReferenceTest fails the build when this file differs. -->\n\n")
                .append("Every key can come from an environment variable (`worker.max-in-flight` → ")
                .append("`PAYPIPE_WORKER_MAX_IN_FLIGHT`: upper case, dots and dashes become underscores), which wins over ")
                .append("a properties file given with `--config FILE`, which wins over the default. Values are checked ")
                .append("at start: a bad one stops start-up with a message naming the key and the value (exit code 2). ")
                .append("Every service command (`worker`, `ledger`, `db-writer`, `reconcile`) logs a warning for each ")
                .append("`PAYPIPE_*` variable or properties key that matches no key below, with the closest key as a ")
                .append("hint. Values of type `password` are never printed or logged.\n\n")
                .append("`paypipe config --print [--config FILE]` prints the effective configuration with the source ")
                .append("of each value (default, properties file, environment variable), secrets masked, and exits 2 ")
                .append("when a value is invalid.\n");
        for (ConfigTable table : PaypipeConfigKeys.catalog().tables()) {
            md.append("\n## ").append(table.name()).append("\n\n").append(cell(table.doc())).append("\n\n")
                    .append("| key | type | default | valid values | environment variable | read by | doc |\n")
                    .append("|---|---|---|---|---|---|---|\n");
            for (ConfigKey<?> key : table.keys()) {
                md.append("| `").append(key.name()).append("` | ").append(key.type().name()).append(" | ")
                        .append(defaultCell(key.defaultText())).append(" | ").append(cell(key.validValues()))
                        .append(" | `").append(key.envName()).append("` | ")
                        .append(String.join(", ", PaypipeConfigKeys.readBy(key))).append(" | ").append(cell(key.doc()))
                        .append(" |\n");
            }
            for (ConfigTable.PassThrough p : table.passThroughs()) {
                md.append("| `").append(p.prefix()).append("*` | pass-through | (none) | any | `")
                        .append(p.envPrefix()).append("*` | ").append(String.join(", ", PaypipeConfigKeys.readBy(table)))
                        .append(" | ").append(cell(p.doc())).append(" E.g. `").append(p.example()).append("`. |\n");
            }
        }
        md.append("\n## Environment only\n\n")
                .append("Read from the environment only, never from the properties file.\n\n")
                .append("| environment variable | doc |\n|---|---|\n");
        Map<String, String> envOnly = new TreeMap<>(PaypipeConfigKeys.ENVIRONMENT_ONLY);
        envOnly.forEach((name, doc) -> md.append("| `").append(name).append("` | ").append(cell(doc)).append(" |\n"));
        md.append("\nVariables starting with ").append(String.join(", ", PaypipeConfigKeys.RESERVED_ENV_PREFIXES.stream()
                .map(p -> "`" + p + "`").toList())).append(" belong to the test harness and are never reported.\n");
        return md.toString();
    }

    private static String defaultCell(String text) {
        return text.startsWith("(") ? text : "`" + text.replace("|", "\\|") + "`";
    }

    /** Table-safe text: a pipe would end the cell, angle brackets would read as HTML. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }
}
