package io.sluice.proxy.apply;

import static io.sluice.proxy.testing.TestSnapshots.json;
import static io.sluice.proxy.testing.TestSnapshots.withHost;
import static io.sluice.proxy.testing.TestSnapshots.withRule;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.proxy.testing.TestSnapshots;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotApplierTest {
    @TempDir
    Path dir;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ActiveSnapshot<List<String>> active = new ActiveSnapshot<>();
    private SnapshotApplier<List<String>> applier;

    @AfterEach
    void close() {
        if (applier != null) {
            applier.close();
        }
    }

    private SnapshotApplier<List<String>> applier(LastKnownGoodFile file) {
        applier = new SnapshotApplier<>(TestSnapshots.routerIdCompiler(), active, registry, file);
        return applier;
    }

    @Test
    void appliesAValidSnapshotAndReportsItsVersion() throws Exception {
        ApplyResult result = applier(null).apply(json(withHost(1, 1, "a.test"))).get();

        assertThat(result.outcome()).isEqualTo(ApplyResult.Outcome.APPLIED);
        assertThat(result.serving()).isEqualTo(new SnapshotVersion(1, 1));
        assertThat(active.current().compiled()).containsExactly("r1");
        assertThat(applier.servingVersion()).contains(new SnapshotVersion(1, 1));
    }

    @Test
    void compilesOnItsOwnThreadNotTheCaller() throws Exception {
        AtomicReference<String> compilingThread = new AtomicReference<>();
        applier = new SnapshotApplier<>(s -> {
            compilingThread.set(Thread.currentThread().getName());
            return List.of();
        }, active, registry, null);
        applier.apply(json(withHost(1, 1, "a.test"))).get();
        assertThat(compilingThread.get()).isEqualTo("sluice-snapshot-apply");
    }

    @Test
    void refusesAnOlderVersionAndKeepsServingTheNewer() throws Exception {
        applier(null).apply(json(withHost(2, 5, "new.test"))).get();
        Object before = active.current();

        ApplyResult older = applier.apply(json(withHost(2, 4, "old.test"))).get();
        ApplyResult olderEpoch = applier.apply(json(withHost(1, 99, "old.test"))).get();

        assertThat(older.outcome()).isEqualTo(ApplyResult.Outcome.STALE);
        assertThat(older.problems()).singleElement().asString().contains("2.4", "older", "2.5");
        assertThat(olderEpoch.outcome()).isEqualTo(ApplyResult.Outcome.STALE);
        assertThat(active.current()).isSameAs(before);
    }

    @Test
    void sameVersionSameContentIsAnIdempotentSuccessButDifferentContentIsRefused() throws Exception {
        applier(null).apply(json(withHost(1, 1, "a.test"))).get();
        Object before = active.current();

        ApplyResult again = applier.apply(json(withHost(1, 1, "a.test"))).get();
        ApplyResult changed = applier.apply(json(withHost(1, 1, "b.test"))).get();

        assertThat(again.outcome()).isEqualTo(ApplyResult.Outcome.UNCHANGED);
        assertThat(again.accepted()).isTrue();
        assertThat(changed.outcome()).isEqualTo(ApplyResult.Outcome.STALE);
        assertThat(changed.problems()).singleElement().asString().contains("different content");
        assertThat(active.current()).isSameAs(before);
    }

    @Test
    void listsEveryStructuralProblemAndKeepsTheOldSnapshot() throws Exception {
        applier(null).apply(json(withHost(1, 1, "a.test"))).get();
        RoutingSnapshot broken = new RoutingSnapshot(new SnapshotVersion(1, 2),
                List.of(new Router("r1", List.of(), new RouteMatch.Rule("Host(`a`)"), 0, List.of("nope"), "ghost",
                        null)),
                List.of(Service.LoadBalancer.of("s1", List.of(new Endpoint("10.0.0.1", 70000, 1, true, true, false)))),
                List.of(), List.of());

        ApplyResult result = applier.apply(json(broken)).get();

        assertThat(result.outcome()).isEqualTo(ApplyResult.Outcome.INVALID);
        assertThat(result.problems()).hasSize(3)
                .anySatisfy(p -> assertThat(p).contains("unknown service \"ghost\""))
                .anySatisfy(p -> assertThat(p).contains("unknown middleware \"nope\""))
                .anySatisfy(p -> assertThat(p).contains("invalid port 70000"));
        assertThat(result.serving()).isEqualTo(new SnapshotVersion(1, 1));
        assertThat(active.current().version()).isEqualTo(new SnapshotVersion(1, 1));
    }

    @Test
    void aStaleAndBrokenSnapshotGetsBothReasons() throws Exception {
        applier(null).apply(json(withHost(3, 1, "a.test"))).get();
        ApplyResult result = applier.apply(json(withRule(2, 1, "BAD"))).get();

        assertThat(result.outcome()).isEqualTo(ApplyResult.Outcome.STALE);
        assertThat(result.problems()).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("older"))
                .anySatisfy(p -> assertThat(p).contains("router r1: unparseable rule"));
    }

    @Test
    void compilerProblemsAreReportedAndNothingIsInstalled() throws Exception {
        ApplyResult result = applier(null).apply(json(withRule(1, 1, "BAD(`x`)"))).get();

        assertThat(result.outcome()).isEqualTo(ApplyResult.Outcome.INVALID);
        assertThat(result.problems()).containsExactly("router r1: unparseable rule");
        assertThat(result.serving()).isNull();
        assertThat(active.current()).isNull();
    }

    @Test
    void anUnreadableDocumentIsInvalid() throws Exception {
        ApplyResult result = applier(null).apply("{\"version\":".getBytes(StandardCharsets.UTF_8)).get();
        assertThat(result.outcome()).isEqualTo(ApplyResult.Outcome.INVALID);
        assertThat(result.offered()).isNull();
        assertThat(result.problems()).singleElement().asString().startsWith("cannot read snapshot");
    }

    @Test
    void exportsVersionGaugesCountersAndTimer() throws Exception {
        applier(null).apply(json(withHost(4, 9, "a.test"))).get();
        applier.apply(json(withHost(4, 9, "a.test"))).get();
        applier.apply(json(withHost(4, 8, "a.test"))).get();
        applier.apply(json(withRule(5, 1, "BAD"))).get();

        String text = registry.scrape();
        assertThat(text).contains("sluice_snapshot_version_epoch 4.0", "sluice_snapshot_version_sequence 9.0",
                "sluice_snapshot_applies_total{kind=\"full\",outcome=\"applied\"} 1.0",
                "sluice_snapshot_applies_total{kind=\"endpoints\",outcome=\"applied\"} 0.0",
                "sluice_snapshot_applies_total{kind=\"none\",outcome=\"unchanged\"} 1.0",
                "sluice_snapshot_rejections_total{reason=\"stale\"} 1.0",
                "sluice_snapshot_rejections_total{reason=\"invalid\"} 1.0",
                "sluice_snapshot_apply_duration_seconds_count 4");
    }

    /** Compiles to "full:<ids>" or, for endpoint-only changes, "endpoints:<changed services>". */
    private static final class KindCompiler implements SnapshotCompiler<List<String>> {
        boolean decline;
        boolean explode;

        @Override
        public List<String> compile(RoutingSnapshot snapshot) {
            return List.of("full", String.valueOf(snapshot.routers().size()));
        }

        @Override
        public List<String> compileEndpointChange(List<String> serving, EndpointOnlyChange change) {
            if (explode) {
                throw new IllegalStateException("boom");
            }
            return decline ? null : List.of("endpoints", String.join(",", change.services()));
        }
    }

    private static RoutingSnapshot withEndpointPort(long sequence, int port) {
        RoutingSnapshot base = withHost(1, sequence, "a.test");
        return new RoutingSnapshot(base.version(), base.routers(),
                List.of(Service.LoadBalancer.of("s1", List.of(Endpoint.ready("127.0.0.1", port)))),
                List.of(), List.of());
    }

    @Test
    void takesTheEndpointPathOnlyWhenOnlyEndpointsChangedAndTheCompilerAgrees() throws Exception {
        KindCompiler compiler = new KindCompiler();
        applier = new SnapshotApplier<>(compiler, active, registry, null);

        assertThat(applier.apply(json(withEndpointPort(1, 8081))).get().kind()).isEqualTo(ApplyKind.FULL);
        ApplyResult endpoints = applier.apply(json(withEndpointPort(2, 8082))).get();
        assertThat(endpoints.kind()).isEqualTo(ApplyKind.ENDPOINTS);
        assertThat(active.current().compiled()).containsExactly("endpoints", "s1");
        assertThat(applier.apply(json(withHost(1, 3, "b.test"))).get().kind()).isEqualTo(ApplyKind.FULL);
        compiler.decline = true;
        assertThat(applier.apply(json(withEndpointPort(4, 8083).withVersion(new SnapshotVersion(1, 4))))
                .get().kind()).isEqualTo(ApplyKind.FULL);
        compiler.decline = false;
        compiler.explode = true;
        ApplyResult fallback = applier.apply(json(withEndpointPort(5, 8084))).get();
        assertThat(fallback.outcome()).isEqualTo(ApplyResult.Outcome.APPLIED);
        assertThat(fallback.kind()).isEqualTo(ApplyKind.FULL);
        assertThat(registry.scrape()).contains(
                "sluice_snapshot_applies_total{kind=\"endpoints\",outcome=\"applied\"} 1.0",
                "sluice_snapshot_applies_total{kind=\"full\",outcome=\"applied\"} 4.0");
    }

    @Test
    void savesEachAppliedSnapshotAndAFreshApplierStartsFromIt() throws Exception {
        LastKnownGoodFile file = new LastKnownGoodFile(dir.resolve("state/lkg.json"));
        applier(file).apply(json(withHost(1, 1, "a.test"))).get();
        applier.apply(json(withHost(1, 2, "b.test"))).get();
        applier.apply(json(withRule(1, 3, "BAD"))).get();
        applier.close();

        assertThat(Files.readAllBytes(file.path())).isEqualTo(json(withHost(1, 2, "b.test")));
        try (var files = Files.list(file.path().getParent())) {
            assertThat(files).containsExactly(file.path());
        }
        ActiveSnapshot<List<String>> restarted = new ActiveSnapshot<>();
        try (SnapshotApplier<List<String>> fresh = new SnapshotApplier<>(TestSnapshots.routerIdCompiler(),
                restarted, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), file)) {
            assertThat(fresh.loadLastKnownGood().get()).get()
                    .extracting(ApplyResult::outcome).isEqualTo(ApplyResult.Outcome.APPLIED);
            assertThat(restarted.current().version()).isEqualTo(new SnapshotVersion(1, 2));
        }
    }

    @Test
    void aCorruptOrMissingLastKnownGoodFileIsIgnored() throws Exception {
        Path path = dir.resolve("lkg.json");
        assertThat(applier(new LastKnownGoodFile(path)).loadLastKnownGood().get()).isEmpty();
        applier.close();

        Files.writeString(path, "{ truncated");
        ApplyResult result = applier(new LastKnownGoodFile(path)).loadLastKnownGood().get().orElseThrow();
        assertThat(result.accepted()).isFalse();
        assertThat(active.current()).isNull();
        assertThat(applier.apply(json(withHost(1, 1, "a.test"))).get().outcome())
                .isEqualTo(ApplyResult.Outcome.APPLIED);
    }
}
