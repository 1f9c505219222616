package dev.paypipe.cli.dev.chaos;

import static dev.paypipe.cli.dev.chaos.Campaigns.awaitUntil;

import dev.paypipe.cli.dev.ServiceProcess;
import dev.paypipe.cli.dev.WorkerFleet;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.kafka.PaymentPublisher;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.load.ResultCollector;
import dev.paypipe.model.PaymentRequest;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PostgresDatabase;
import dev.paypipe.testkit.TestInfra;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code kill} campaign: the ledger, a worker and a db-writer as child JVMs, each SIGKILLed {@code kills} times
 * at random moments while {@code payments} payments flow, and restarted each time; then one SIGTERM round of each
 * (graceful: drain, commit, leave the group) and a start again. Nothing may be lost, charged twice or at another
 * amount, or answered twice, and every row must match the topic's final result.
 */
public final class KillCampaign {
    private static final Set<PaymentStatus> COMPLETED = Set.of(PaymentStatus.APPROVED, PaymentStatus.DECLINED);
    private static final Duration READY = Duration.ofSeconds(120);

    private final int payments;
    private final int kills;
    private final PrintStream out;
    private final Random random = new Random();

    public KillCampaign(int payments, int kills, PrintStream out) {
        this.payments = payments;
        this.kills = kills;
        this.out = out;
    }

    public CampaignReport run() throws Exception {
        CampaignReport report = new CampaignReport("kill");
        KafkaBroker kafka = TestInfra.kafka();
        PostgresDatabase db = TestInfra.postgres().freshDatabase();
        KafkaSettings topics = kafka.freshTopics(4);
        Path dir = Files.createTempDirectory("paypipe-chaos-kill");
        SimulatorConfig simConfig = SimulatorConfig.builder().latency(Duration.ofMillis(5)).declineRate(0.1).noFaults()
                .build();
        List<ServiceProcess> services = new ArrayList<>();
        ExecutorService chaos = Executors.newSingleThreadExecutor(r -> new Thread(r, "chaos-kill"));
        try (GatewaySimulator sim = GatewaySimulator.start(simConfig);
                ResultCollector results = ResultCollector.results(topics.bootstrapServers(), topics.topics().results());
                PaymentPublisher publisher = new PaymentPublisher(topics)) {
            Map<String, String> common = WorkerFleet.kafkaKeys(topics);
            services.add(ServiceProcess.start(ServiceProcess.Spec.of("ledger", "ledger", dir).withAll(common)
                    .with("ledger.state-dir", dir.resolve("ledger-state").toString()).with("ledger.http-port", "0")));
            services.add(ServiceProcess.start(ServiceProcess.Spec.of("worker", "worker", dir).withAll(common)
                    .with("worker.intake", "ledger").with("gateway.base-url", sim.baseUri().toString())
                    .with("gateway.api-key", SimulatorConfig.DEFAULT_API_KEY).with("worker.max-in-flight", "128")
                    .with("retry.tiers", "250ms,1s,5s").with("retry.base", "100ms").with("retry.cap", "2s")));
            services.add(ServiceProcess.start(ServiceProcess.Spec.of("db-writer", "db-writer", dir).withAll(common)
                    .with("db.jdbc-url", db.jdbcUrl()).with("db.user", db.user()).with("db.password", db.password())));
            for (ServiceProcess s : services) {
                s.awaitReady(READY);
            }
            out.printf("  kill: ledger, worker and db-writer up as child JVMs (logs in %s)%n", dir);

            AtomicInteger published = new AtomicInteger();
            AtomicInteger blowsDone = new AtomicInteger();
            List<ServiceProcess> victims = victims(services);
            int[] at = blowPositions(victims.size());
            Future<List<String>> rounds = chaos.submit(() -> killRounds(services, victims, at, published, blowsDone));
            PaymentFactory factory = new PaymentFactory("kill-" + UUID.randomUUID().toString().substring(0, 6));
            List<Expectation> expected = new ArrayList<>(payments);
            long start = System.nanoTime();
            for (int i = 0; i < payments; i++) {
                // at most one blow outstanding: when restarts are slow, payments wait, so every blow lands mid-run
                while (blowsDone.get() < blowsBefore(at, i) - 1 && !rounds.isDone()) {
                    Thread.sleep(20);
                }
                PaymentRequest r = factory.request(i);
                publisher.publish(r);
                expected.add(Expectation.completes(r.paymentId(), r.amount(), COMPLETED));
                published.set(i + 1);
                pace(i, start);
            }
            publisher.flush();
            List<String> events = rounds.get();
            events.forEach(e -> report.note("event: " + e));
            boolean all = awaitUntil(Duration.ofMinutes(5), () -> results.payments() >= payments);
            List<String> ids = expected.stream().map(Expectation::paymentId).toList();
            awaitUntil(all ? Duration.ofMinutes(2) : Duration.ZERO,
                    () -> ThreeSourceVerdict.rows(db, ids).size() >= payments);
            ThreeSourceVerdict.judge(report, expected, sim, ThreeSourceVerdict.rows(db, ids), results);
            report.figure("kills", events.stream().filter(e -> e.startsWith("SIGKILL")).count());
            report.figure("terms", events.stream().filter(e -> e.startsWith("SIGTERM")).count());
            report.figure("gatewayChargeCalls", sim.stats().chargeCalls());
            report.figure("idempotentReplays", sim.ledger().replays());
        } finally {
            chaos.shutdownNow();
            for (ServiceProcess s : services) {
                s.close();
            }
        }
        return report;
    }

    /** {@code kills} SIGKILL rounds of each service in random order, then one SIGTERM round of each, last. */
    private List<ServiceProcess> victims(List<ServiceProcess> services) {
        List<ServiceProcess> victims = new ArrayList<>();
        for (int k = 0; k < kills; k++) {
            victims.addAll(services);
        }
        Collections.shuffle(victims, random);
        victims.addAll(services);
        return victims;
    }

    /** The payment index of each blow: one at a random point of each equal slot of the first 90 % of the run. */
    private int[] blowPositions(int blows) {
        int slot = Math.max(1, (int) (payments * 0.9 / blows));
        int[] at = new int[blows];
        for (int n = 0; n < blows; n++) {
            at[n] = n * slot + random.nextInt(slot);
        }
        return at;
    }

    private static int blowsBefore(int[] at, int i) {
        int n = 0;
        while (n < at.length && at[n] < i) {
            n++;
        }
        return n;
    }

    /** Each blow once its payment has gone out; every victim is started again and awaited before the next. */
    private List<String> killRounds(List<ServiceProcess> services, List<ServiceProcess> victims, int[] at,
            AtomicInteger published, AtomicInteger blowsDone) throws Exception {
        List<String> events = new ArrayList<>();
        for (int n = 0; n < victims.size(); n++) {
            ServiceProcess victim = victims.get(n);
            while (published.get() < at[n]) {
                Thread.sleep(20);
            }
            boolean graceful = n >= victims.size() - services.size();
            long t0 = System.nanoTime();
            if (graceful) {
                int exit = victim.terminate(Duration.ofSeconds(60));
                events.add("SIGTERM " + victim.name() + " at payment " + published.get() + " (exit " + exit + ")");
            } else {
                victim.kill();
                events.add("SIGKILL " + victim.name() + " at payment " + published.get());
            }
            victim.restart();
            victim.awaitReady(READY);
            blowsDone.incrementAndGet();
            out.printf("  kill: %s, back in %d ms%n", events.get(events.size() - 1),
                    (System.nanoTime() - t0) / 1_000_000);
        }
        return events;
    }

    /** About 250 payments a second: the blows land while payments are in every stage. */
    private static void pace(int i, long start) throws InterruptedException {
        long due = start + i * 4_000_000L;
        long wait = due - System.nanoTime();
        if (wait > 1_000_000) {
            Thread.sleep(wait / 1_000_000);
        }
    }
}
