package dev.paypipe.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Look-up faults and outages that hang, driven by a fake clock: held requests are released by moving it. */
class LookupAndOutageFaultsTest {
    private static final SimulatorConfig HEALTHY = SimulatorConfig.builder().latency(Duration.ZERO).build();
    private static final Duration HELD = Duration.ofSeconds(5);

    private final MutableClock clock = new MutableClock();
    private GatewaySimulator gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private GatewayTestClient start(SimulatorConfig config) {
        gateway = GatewaySimulator.start(config, clock);
        return new GatewayTestClient(gateway);
    }

    private void awaitHeld(long requests) {
        await().atMost(HELD).until(() -> gateway.stats().pending() == requests);
    }

    @Test
    void failedLookupsAnswer500AndLeaveTheLedgerAsItWas() {
        GatewayTestClient client = start(HEALTHY);
        client.charge("pay-known");
        gateway.updateConfig(b -> b.lookupFailureRate(1.0));

        HttpResponse<String> known = client.lookup("pay-known");
        HttpResponse<String> unknown = client.lookup("pay-unknown");

        assertThat(known.statusCode()).isEqualTo(500);
        assertThat(unknown.statusCode()).isEqualTo(500);
        assertThat(gateway.ledger().keys()).isEqualTo(1);
        assertThat(gateway.ledger().chargesFor("pay-known")).isEqualTo(1);
        assertThat(gateway.ledger().peek("pay-unknown")).as("a look-up creates no ledger entry").isNull();
        assertThat(gateway.stats().lookupFaults(LookupFault.FAILURE)).isEqualTo(2);
        assertThat(gateway.stats().lookupCallsFor("pay-unknown")).isEqualTo(1);
        gateway.updateConfig(HEALTHY);
        assertThat(client.lookup("pay-known").statusCode()).isEqualTo(200);
        assertThat(client.lookup("pay-unknown").statusCode()).isEqualTo(404);
    }

    @Test
    void timedOutLookupsHangForTheHangTimeThenAnswer504() throws Exception {
        GatewayTestClient client = start(HEALTHY.toBuilder().hangTime(Duration.ofSeconds(30)).build());
        client.charge("pay-lto");
        gateway.updateConfig(b -> b.lookupTimeoutRate(1.0));

        CompletableFuture<HttpResponse<String>> lookup = client.lookupAsync("pay-lto");
        awaitHeld(1);
        assertThat(lookup).isNotDone();
        clock.advance(Duration.ofSeconds(30));

        assertThat(lookup.get(HELD.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(504);
        assertThat(gateway.ledger().keys()).isEqualTo(1);
        assertThat(gateway.ledger().chargesFor("pay-lto")).isEqualTo(1);
        assertThat(gateway.stats().lookupFaults(LookupFault.TIMEOUT)).isEqualTo(1);
    }

    @Test
    void aHangingOutageHoldsChargesUntilItEndsThenAnswers503AndChargesNothing() throws Exception {
        GatewayTestClient client = start(HEALTHY.toBuilder().hangTime(Duration.ofSeconds(30)).build());
        gateway.beginOutage(Duration.ofSeconds(10), OutageMode.HANG);

        CompletableFuture<HttpResponse<String>> first = client.chargeAsync("pay-hang-1");
        CompletableFuture<HttpResponse<String>> second = client.chargeAsync("pay-hang-2");
        awaitHeld(2);
        clock.advance(Duration.ofSeconds(9));
        assertThat(gateway.inOutage()).isTrue();
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        clock.advance(Duration.ofSeconds(1));

        assertThat(first.get(HELD.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(503);
        assertThat(second.get(HELD.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(503);
        assertThat(gateway.ledger().keys()).isZero();
        assertThat(gateway.stats().chargeCallsDuringOutage()).isEqualTo(2);
        assertThat(gateway.inOutage()).isFalse();
        assertThat(client.charge("pay-hang-1").statusCode()).isEqualTo(200);
        assertThat(gateway.ledger().chargesFor("pay-hang-1")).isEqualTo(1);
    }

    @Test
    void aHangingOutageLongerThanTheHangTimeReleasesRequestsAtTheHangTime() throws Exception {
        GatewayTestClient client = start(HEALTHY.toBuilder().hangTime(Duration.ofSeconds(2)).build());
        gateway.beginOutage(Duration.ofSeconds(10), OutageMode.HANG);

        CompletableFuture<HttpResponse<String>> charge = client.chargeAsync("pay-hang-short");
        awaitHeld(1);
        clock.advance(Duration.ofSeconds(2));

        assertThat(charge.get(HELD.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(503);
        assertThat(gateway.inOutage()).isTrue();
        assertThat(gateway.ledger().find("pay-hang-short")).isEmpty();
    }

    @Test
    void hostileOutagesAnswer503ThenHangWithTheGatewayUpInBetween() throws Exception {
        GatewayTestClient client = start(HEALTHY);
        gateway.scheduleOutages(FaultMix.hostileOutages(Duration.ZERO, Duration.ofSeconds(5)));

        assertThat(client.charge("pay-o1").statusCode()).isEqualTo(503);
        clock.advance(Duration.ofSeconds(15));
        assertThat(client.charge("pay-o1").statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(5));
        CompletableFuture<HttpResponse<String>> hung = client.chargeAsync("pay-o2");
        awaitHeld(1);
        assertThat(hung).isNotDone();
        clock.advance(Duration.ofSeconds(10));

        assertThat(hung.get(HELD.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(503);
        assertThat(client.charge("pay-o2").statusCode()).isEqualTo(200);
        assertThat(gateway.ledger().chargedKeys()).containsExactlyInAnyOrder("pay-o1", "pay-o2");
        assertThat(gateway.stats().chargeCallsDuringOutage()).isEqualTo(2);
    }

    @Test
    void scriptedWindowsCarryTheirOwnMode() throws Exception {
        GatewayTestClient client = start(HEALTHY.toBuilder().outageMode(OutageMode.UNAVAILABLE)
                .outage(Duration.ZERO, Duration.ofSeconds(3), OutageMode.HANG)
                .outage(Duration.ofSeconds(10), Duration.ofSeconds(3)).build());

        CompletableFuture<HttpResponse<String>> hung = client.chargeAsync("pay-sw");
        awaitHeld(1);
        clock.advance(Duration.ofSeconds(3));
        assertThat(hung.get(HELD.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(503);
        clock.advance(Duration.ofSeconds(7));

        assertThat(client.charge("pay-sw").statusCode()).as("the config's mode: a fast 503").isEqualTo(503);
        assertThat(gateway.ledger().keys()).isZero();
    }

    @Test
    void outagesBegunWithoutAModeFollowTheConfig() throws Exception {
        GatewayTestClient client = start(HEALTHY.toBuilder().outageMode(OutageMode.TIMEOUT)
                .hangTime(Duration.ofSeconds(4)).build());
        gateway.beginOutage(Duration.ofMinutes(1));

        CompletableFuture<HttpResponse<String>> hung = client.chargeAsync("pay-cfg");
        awaitHeld(1);
        clock.advance(Duration.ofSeconds(4));

        assertThat(hung.get(HELD.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(504);
    }

    @Test
    void latencyAndTimeoutsFollowTheInjectedClock() throws Exception {
        GatewayTestClient client = start(HEALTHY.toBuilder().latency(Duration.ofSeconds(2)).build());

        CompletableFuture<HttpResponse<String>> charge = client.chargeAsync("pay-late");
        awaitHeld(1);
        assertThat(charge).isNotDone();
        clock.advance(Duration.ofSeconds(2));

        assertThat(charge.get(HELD.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(gateway.ledger().find("pay-late")).hasValueSatisfying(
                c -> assertThat(c.createdAt()).isEqualTo(clock.instant()));
    }
}
