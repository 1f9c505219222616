package dev.paypipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paypipe.config.ConfigSource;
import dev.paypipe.metrics.CloudWatchAlarms;
import dev.paypipe.metrics.MetricsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** CloudWatch definitions as code: {@code paypipe cloudwatch alarms --print}, {@code paypipe cloudwatch dashboard --print}. */
@Command(name = "cloudwatch", mixinStandardHelpOptions = true,
        description = "CloudWatch alarm and dashboard definitions for paypipe's meters (namespace and common tags from "
                + "metrics.cloudwatch.namespace and metrics.tag.*).",
        subcommands = {CloudWatchCommand.Alarms.class, CloudWatchCommand.Dashboard.class})
final class CloudWatchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    enum Format { CLI, CLOUDFORMATION }

    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return CliEnums.parse(Format.class, value, "--format");
        }
    }

    /** Options both subcommands take. */
    static final class Definitions {
        @Mixin
        ConfigOption config;

        @Option(names = "--print", description = "Print the definitions to stdout (the only mode; nothing is applied).")
        boolean print;

        @Option(names = "--format", defaultValue = "cli", converter = FormatConverter.class,
                description = "cli (JSON for aws cloudwatch ... --cli-input-json) or cloudformation (one template with "
                        + "every alarm and the dashboard). Default ${DEFAULT-VALUE}.")
        Format format;

        @Option(names = "--action", paramLabel = "ARN", description = "SNS topic notified on ALARM and OK (repeatable).")
        List<String> actions = new ArrayList<>();

        @Option(names = "--lag-floor", defaultValue = "1000",
                description = "Consumer lag below this many records never alarms (default ${DEFAULT-VALUE}).")
        long lagFloor;

        @Option(names = "--dashboard-name", defaultValue = "paypipe", description = "Default ${DEFAULT-VALUE}.")
        String dashboardName;

        @Option(names = "--region", description = "Region of the dashboard's metrics (default metrics.cloudwatch.region, "
                + "else us-east-1; CloudFormation uses the stack's region).")
        String region;

        CloudWatchAlarms alarms() {
            return CloudWatchAlarms.from(MetricsConfig.from(configSource()), actions, lagFloor);
        }

        String region() {
            if (region != null) {
                return region;
            }
            String configured = MetricsConfig.from(configSource()).region();
            return configured == null ? "us-east-1" : configured;
        }

        private ConfigSource configSource() {
            return config.load();
        }
    }

    @Command(name = "alarms", mixinStandardHelpOptions = true,
            description = "Alarms: DB pool utilisation 80 %% / 95 %%, gateway p99 5 s / 10 s, error rate 5 %%, breaker open, "
                    + "UNKNOWN results > 0, consumer lag growing. --format CLI prints one put-metric-alarm input per line.")
    static final class Alarms implements Callable<Integer> {
        @Mixin
        Definitions options;

        @Override
        public Integer call() throws Exception {
            ObjectMapper json = new ObjectMapper();
            CloudWatchAlarms alarms = options.alarms();
            if (options.format == Format.CLOUDFORMATION) {
                System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(
                        alarms.cloudFormation(options.dashboardName)));
            } else {
                for (ObjectNode alarm : alarms.alarms()) {
                    System.out.println(json.writeValueAsString(alarm));
                }
            }
            return 0;
        }
    }

    @Command(name = "dashboard", mixinStandardHelpOptions = true,
            description = "The dashboard: one graph per alarm. --format CLI prints the put-dashboard input.")
    static final class Dashboard implements Callable<Integer> {
        @Mixin
        Definitions options;

        @Override
        public Integer call() throws Exception {
            ObjectMapper json = new ObjectMapper();
            CloudWatchAlarms alarms = options.alarms();
            ObjectNode out = options.format == Format.CLOUDFORMATION ? alarms.cloudFormation(options.dashboardName)
                    : alarms.dashboard(options.dashboardName, options.region());
            System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(out));
            return 0;
        }
    }
}
