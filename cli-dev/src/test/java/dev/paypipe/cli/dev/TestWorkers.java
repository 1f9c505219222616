package dev.paypipe.cli.dev;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
import java.nio.file.Path;

/** The worker process of the fail-over tests: behind the ledger, 256 calls in flight, retries within seconds. */
final class TestWorkers {
    private TestWorkers() {
    }

    /** A {@code paypipe worker} of group {@code groupId} on {@code topics}, calling {@code sim}; logs in {@code logDir}. */
    static ServiceProcess.Spec behindLedger(KafkaSettings topics, GatewaySimulator sim, String groupId, Path logDir) {
        return WorkerFleet.workerSpec(topics, sim.baseUri(), SimulatorConfig.DEFAULT_API_KEY, groupId, logDir)
                .with("worker.intake", "ledger")
                .with("worker.max-in-flight", "256")
                .with("gateway.max-connections", "256")
                .with("retry.tiers", "200ms,1s,5s")
                .with("retry.base", "100ms")
                .with("retry.cap", "2s");
    }
}
