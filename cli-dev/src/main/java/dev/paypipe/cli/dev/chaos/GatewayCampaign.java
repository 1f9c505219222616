package dev.paypipe.cli.dev.chaos;

import dev.paypipe.cli.dev.PipelineRig;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.sim.FaultMix;
import dev.paypipe.sim.OutageMode;
import dev.paypipe.sim.SimulatorConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The {@code gateway} campaign: one run per fault shape of the simulator, each on a fresh pipeline (without the
 * ledger: the gateway is the worker's business), each with the final statuses that shape must end in. A fault that
 * comes and goes, an outage, and a gateway that charges but always cuts the answer must still end every payment
 * APPROVED or DECLINED at its amount, charged once. A gateway that refuses every call is not a shape here: the
 * breaker then holds the payments (stops fetching) instead of failing them, so they wait rather than end FAILED.
 */
public final class GatewayCampaign {
    private static final Set<PaymentStatus> COMPLETED = Set.of(PaymentStatus.APPROVED, PaymentStatus.DECLINED);
    /**
     * When look-ups fail too, a payment whose every attempt was cut after the charge may run out of attempts without
     * an answer: UNKNOWN (reconcile) is then the contract's ending, and the verdict still checks the money.
     */
    private static final Set<PaymentStatus> COMPLETED_OR_UNKNOWN = Set.of(PaymentStatus.APPROVED,
            PaymentStatus.DECLINED, PaymentStatus.UNKNOWN);
    private static final double SOME = 0.3;

    /** One fault shape: how the simulator misbehaves and how every payment must end. */
    record Shape(String name, UnaryOperator<SimulatorConfig.Builder> faults, Set<PaymentStatus> statuses) {
    }

    static final List<Shape> SHAPES = List.of(
            new Shape("declines", b -> b.declineRate(0.3), COMPLETED),
            new Shape("timeout-before-charge", b -> b.timeoutBeforeChargeRate(SOME), COMPLETED),
            new Shape("timeout-after-charge", b -> b.timeoutAfterChargeRate(SOME), COMPLETED),
            new Shape("server-error", b -> b.serverErrorRate(SOME), COMPLETED),
            new Shape("rate-limit", b -> b.rateLimitRate(SOME), COMPLETED),
            new Shape("unavailable", b -> b.unavailableRate(SOME), COMPLETED),
            new Shape("reset-after-charge", b -> b.resetAfterChargeRate(SOME), COMPLETED),
            new Shape("server-error-after-charge", b -> b.serverErrorAfterChargeRate(SOME), COMPLETED),
            new Shape("garbage-200", b -> b.garbage200Rate(SOME), COMPLETED),
            new Shape("incomplete-200", b -> b.incomplete200Rate(SOME), COMPLETED),
            new Shape("slow-drip", b -> b.slowDripRate(0.1).dripInterval(Duration.ofMillis(200)), COMPLETED),
            new Shape("look-ups-fail", b -> b.timeoutAfterChargeRate(SOME).lookupFailureRate(SOME)
                    .lookupTimeoutRate(0.1), COMPLETED_OR_UNKNOWN),
            new Shape("outage-503", b -> b.outage(Duration.ZERO, Duration.ofSeconds(8), OutageMode.UNAVAILABLE),
                    COMPLETED),
            new Shape("outage-timeout", b -> b.outage(Duration.ZERO, Duration.ofSeconds(8), OutageMode.TIMEOUT),
                    COMPLETED),
            new Shape("outage-hang", b -> b.outage(Duration.ZERO, Duration.ofSeconds(8), OutageMode.HANG),
                    COMPLETED),
            new Shape("hostile-mix", b -> FaultMix.HOSTILE.apply(b), COMPLETED_OR_UNKNOWN),
            new Shape("always-reset-after-charge", b -> b.resetAfterChargeRate(1.0), COMPLETED));

    private final int paymentsPerShape;
    private final List<String> only;
    private final Duration deadline;
    private final PrintStream out;

    /** @param only shape names to run, or empty for all */
    public GatewayCampaign(int paymentsPerShape, List<String> only, Duration deadline, PrintStream out) {
        this.paymentsPerShape = paymentsPerShape;
        this.only = only;
        this.deadline = deadline;
        this.out = out;
    }

    public CampaignReport run() throws Exception {
        CampaignReport report = new CampaignReport("gateway");
        for (Shape shape : SHAPES) {
            if (!only.isEmpty() && !only.contains(shape.name())) {
                continue;
            }
            SimulatorConfig sim = shape.faults().apply(SimulatorConfig.builder().latency(Duration.ofMillis(5))
                    .declineRate(0.1).noFaults().hangTime(Duration.ofSeconds(3)).retryAfterSeconds(1)).build();
            try (PipelineRig rig = PipelineRig.start(PipelineRig.Settings.demo(1, 2, sim, 64, 2, false, 5))) {
                report.merge(PaymentRun.run(shape.name(), rig, paymentsPerShape, shape.statuses(), deadline, i -> { },
                        out));
            }
        }
        return report;
    }
}
