package dev.paypipe.cli;

import dev.paypipe.persistence.DbWriter;
import dev.paypipe.persistence.DbWriterConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the db-writer until SIGTERM/SIGINT. */
@Command(name = "db-writer", mixinStandardHelpOptions = true,
        description = "Persist payment results to PostgreSQL with database concurrency capped at the consumer count.")
final class DbWriterCommand implements Runnable {
    @Mixin
    ConfigOption config;

    @Override
    public void run() {
        DbWriter writer = new DbWriter(DbWriterConfig.from(config.load()), new SimpleMeterRegistry());
        WorkerCommand.runUntilSignalled(writer::start, writer::close);
    }
}
