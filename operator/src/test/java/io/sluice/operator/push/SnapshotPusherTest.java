package io.sluice.operator.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.SnapshotCodec;
import io.sluice.snapshot.SnapshotVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotPusherTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<TestProxy> proxies = new ArrayList<>();
    private final List<String> fleetEvents = Collections.synchronizedList(new ArrayList<>());
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private Path tokenFile;
    private FleetStatus fleet;
    private SnapshotPusher pusher;

    @BeforeEach
    void setUp() throws IOException {
        tokenFile = Files.writeString(dir.resolve("token"), "s3cret-one\n");
        fleet = new FleetStatus(registry, Clock.systemUTC());
        fleet.addListener(new FleetListener() {
            @Override
            public void fleetReached(SnapshotVersion version) {
                fleetEvents.add("reached " + version);
            }

            @Override
            public void deposed(SnapshotVersion newer, ProxyAddress seenAt) {
                fleetEvents.add("deposed by " + newer);
            }
        });
        startPusher(Duration.ofSeconds(30));
    }

    private void startPusher(Duration verifyInterval) {
        if (pusher != null) {
            pusher.close();
        }
        ProxyPushClient client = ProxyPushClient.plain(new BearerTokenFile(tokenFile), Duration.ofSeconds(1),
                Duration.ofSeconds(3));
        pusher = new SnapshotPusher(client, new SnapshotCodec(), fleet, registry,
                new PushSettings(new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)), verifyInterval));
    }

    @AfterEach
    void tearDown() {
        pusher.close();
        proxies.forEach(TestProxy::close);
    }

    private TestProxy proxy() throws IOException {
        TestProxy proxy = new TestProxy("s3cret-one");
        proxies.add(proxy);
        return proxy;
    }

    private static RoutingSnapshot snapshot(long epoch, long sequence) {
        return RoutingSnapshot.empty(new SnapshotVersion(epoch, sequence));
    }

    @Test
    void deliversToEveryProxyAndToANewOneAtOnce() throws IOException {
        TestProxy a = proxy();
        TestProxy b = proxy();
        pusher.proxyAdded(a.address());
        pusher.proxyAdded(b.address());
        SnapshotVersion v1 = new SnapshotVersion(1, 1);
        pusher.publish(snapshot(1, 1), Instant.now());

        await().atMost(WAIT).until(() -> fleet.allAcknowledged(v1));
        assertThat(a.current()).isEqualTo(v1);
        assertThat(b.current()).isEqualTo(v1);
        await().atMost(WAIT).until(() -> fleetEvents.contains("reached 1.1"));

        TestProxy c = proxy();
        pusher.proxyAdded(c.address());
        await().atMost(WAIT).until(() -> fleet.proxies().size() == 3 && fleet.allAcknowledged(v1));
        assertThat(c.current()).isEqualTo(v1);
        assertThat(fleet.allAcknowledged(new SnapshotVersion(1, 2))).isFalse();
        assertThat(fleet.proxies()).extracting(ProxyStatus::acknowledged).containsOnly(v1);
        assertThat(a.received()).containsExactly(v1);
    }

    @Test
    void aProxyThatAlreadyHoldsTheSnapshotIsNotSentItAgain() throws IOException {
        TestProxy a = proxy();
        a.hold(new SnapshotVersion(1, 4));
        pusher.publish(snapshot(1, 4), Instant.now());
        pusher.proxyAdded(a.address());

        await().atMost(WAIT).until(() -> fleet.allAcknowledged(new SnapshotVersion(1, 4)));
        assertThat(a.received()).isEmpty();
    }

    @Test
    void coalescesBurstsLatestWinsOneRequestInFlight() throws IOException {
        TestProxy slow = proxy();
        slow.delay(300);
        pusher.proxyAdded(slow.address());
        for (int seq = 1; seq <= 20; seq++) {
            pusher.publish(snapshot(1, seq), Instant.now());
        }
        SnapshotVersion last = new SnapshotVersion(1, 20);
        await().atMost(WAIT).until(() -> last.equals(slow.current()));

        assertThat(slow.maxInFlight()).isEqualTo(1);
        assertThat(slow.received().size()).isLessThanOrEqualTo(2);
        assertThat(slow.received()).last().isEqualTo(last);
        await().atMost(WAIT).until(() -> !fleetEvents.isEmpty());
        assertThat(fleetEvents).containsExactly("reached 1.20");
    }

    @Test
    void aRejectionIsRecordedNotRetriedAndHoldsTheFleetBackUntilTheProxyLeaves() throws Exception {
        TestProxy good = proxy();
        TestProxy picky = proxy();
        picky.rejectWith(List.of("router r1: unknown service s9"));
        pusher.proxyAdded(good.address());
        pusher.proxyAdded(picky.address());
        SnapshotVersion v1 = new SnapshotVersion(1, 1);
        pusher.publish(snapshot(1, 1), Instant.now());

        await().atMost(WAIT).until(() -> fleet.proxy(picky.address()).map(ProxyStatus::lastRejection).isPresent());
        ProxyStatus.Rejection rejection = fleet.proxy(picky.address()).orElseThrow().lastRejection();
        assertThat(rejection.version()).isEqualTo(v1);
        assertThat(rejection.errors()).containsExactly("router r1: unknown service s9");
        await().atMost(WAIT).until(() -> v1.equals(good.current()));
        Thread.sleep(300);
        assertThat(fleet.allAcknowledged(v1)).isFalse();
        assertThat(picky.received()).containsExactly(v1);
        assertThat(fleetEvents).isEmpty();

        pusher.proxyRemoved(picky.address());
        await().atMost(WAIT).until(() -> fleetEvents.contains("reached 1.1"));
        assertThat(fleet.allAcknowledged(v1)).isTrue();
        assertThat(registry.scrape()).contains("sluice_propagation_seconds_count 1");
    }

    @Test
    void aProxyThatRestartsEmptyIsNoticedAndResupplied() throws IOException {
        startPusher(Duration.ofMillis(200));
        TestProxy a = proxy();
        pusher.proxyAdded(a.address());
        SnapshotVersion v1 = new SnapshotVersion(1, 1);
        pusher.publish(snapshot(1, 1), Instant.now());
        await().atMost(WAIT).until(() -> v1.equals(a.current()));

        a.hold(null); // the proxy restarted: same pod IP, no snapshot
        await().atMost(WAIT).until(() -> a.received().size() == 2);
        assertThat(a.current()).isEqualTo(v1);
    }

    @Test
    void aProxyThatIsDownIsRetriedUntilItComesBack() throws IOException {
        TestProxy a = proxy();
        ProxyAddress address = a.address();
        pusher.proxyAdded(address);
        pusher.publish(snapshot(1, 1), Instant.now());
        await().atMost(WAIT).until(() -> new SnapshotVersion(1, 1).equals(a.current()));

        a.close();
        pusher.publish(snapshot(1, 2), Instant.now());
        await().atMost(WAIT).until(() -> fleet.proxy(address).map(ProxyStatus::lastError).isPresent());

        TestProxy back = new TestProxy("s3cret-one", address.port());
        proxies.add(back);
        await().atMost(WAIT).until(() -> new SnapshotVersion(1, 2).equals(back.current()));
        assertThat(back.versionReads()).isPositive();
        await().atMost(WAIT).until(() -> fleet.proxy(address).map(ProxyStatus::lastError).isEmpty());
        assertThat(registry.scrape()).containsPattern("sluice_push_duration_seconds_count\\{result=\"error\"} [1-9]");
    }

    @Test
    void followsATokenRotationWithoutLeakingTheToken() throws IOException {
        TestProxy a = proxy();
        pusher.proxyAdded(a.address());
        a.requireToken("s3cret-two");
        pusher.publish(snapshot(1, 1), Instant.now());

        await().atMost(WAIT).until(() -> fleet.proxy(a.address()).map(ProxyStatus::lastError).isPresent());
        ProxyStatus.Failure failure = fleet.proxy(a.address()).orElseThrow().lastError();
        assertThat(failure.message()).contains("401").doesNotContain("s3cret");
        assertThat(a.current()).isNull();

        Files.writeString(tokenFile, "s3cret-two\n");
        await().atMost(WAIT).until(() -> new SnapshotVersion(1, 1).equals(a.current()));
        assertThat(registry.scrape()).doesNotContain("s3cret");
    }

    @Test
    void aProxyHoldingANewerEpochMeansWeWereDeposed() throws IOException {
        TestProxy a = proxy();
        a.hold(new SnapshotVersion(5, 3));
        pusher.proxyAdded(a.address());
        pusher.publish(snapshot(4, 9), Instant.now());

        await().atMost(WAIT).until(() -> fleetEvents.contains("deposed by 5.3"));
        assertThat(fleet.deposedBy()).contains(new SnapshotVersion(5, 3));
        assertThat(a.current()).isEqualTo(new SnapshotVersion(5, 3));
        assertThat(fleet.allAcknowledged(new SnapshotVersion(4, 9))).as("a deposed leader claims nothing").isFalse();
    }

    @Test
    void aStaleAnswerLeadsToAVersionCheck() throws IOException {
        TestProxy a = proxy();
        pusher.proxyAdded(a.address());
        pusher.publish(snapshot(2, 1), Instant.now());
        await().atMost(WAIT).until(() -> new SnapshotVersion(2, 1).equals(a.current()));

        a.hold(new SnapshotVersion(3, 1)); // a newer leader reached this proxy behind our back
        pusher.publish(snapshot(2, 2), Instant.now());
        await().atMost(WAIT).until(() -> fleetEvents.contains("deposed by 3.1"));
        assertThat(registry.scrape()).containsPattern("sluice_push_duration_seconds_count\\{result=\"stale\"} 1");
    }

    @Test
    void exposesFleetMetrics() throws IOException {
        TestProxy a = proxy();
        TestProxy b = proxy();
        b.rejectWith(List.of("bad"));
        pusher.proxyAdded(a.address());
        pusher.proxyAdded(b.address());
        pusher.publish(snapshot(1, 1), Instant.now().minusSeconds(1));
        await().atMost(WAIT).until(() -> fleet.proxy(b.address()).map(ProxyStatus::lastRejection).isPresent()
                && fleet.proxy(a.address()).map(ProxyStatus::acknowledged).isPresent());

        String scrape = registry.scrape();
        assertThat(scrape).contains("sluice_proxies 2.0").contains("sluice_proxies_in_sync 1.0")
                .contains("sluice_push_duration_seconds_count{result=\"applied\"} 1")
                .contains("sluice_push_duration_seconds_count{result=\"rejected\"} 1")
                .contains("sluice_propagation_seconds_bucket")
                .contains("sluice_proxy_push_duration_seconds_count{proxy=\"" + a.address()
                        + "\",result=\"applied\"} 1")
                .contains("sluice_proxy_push_duration_seconds_count{proxy=\"" + b.address()
                        + "\",result=\"rejected\"} 1");

        pusher.proxyRemoved(b.address());
        await().atMost(WAIT).until(() -> fleet.proxy(b.address()).isEmpty());
        await().atMost(WAIT).until(() -> !registry.scrape().contains("proxy=\"" + b.address() + "\""));
        assertThat(registry.scrape()).contains("proxy=\"" + a.address() + "\"");
    }
}
