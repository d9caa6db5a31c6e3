package io.sluice.operator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.operator.crd.IngressRoute;
import io.sluice.operator.translate.ClusterView;
import io.sluice.operator.translate.ObjectRef;
import io.sluice.operator.translate.Translation;
import io.sluice.operator.translate.TranslationOptions;
import io.sluice.operator.translate.Translator;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.SnapshotCodec;
import io.sluice.snapshot.SnapshotVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SnapshotLoopTest {
    private static final Service WEB = Serialization.unmarshal("""
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: default}
            spec:
              ports: [{name: http, port: 80}]
            """, Service.class);

    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicReference<List<IngressRoute>> routes = new AtomicReference<>(List.of());
    private final List<RoutingSnapshot> published = new CopyOnWriteArrayList<>();
    private final List<Translation> translated = new CopyOnWriteArrayList<>();
    private final PublishedVersions versions = new PublishedVersions();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private SnapshotLoop loop;

    @AfterEach
    void stop() {
        loop.close();
    }

    private void start(Duration quiet, Duration maxDelay) {
        loop = new SnapshotLoop(() -> {
            reads.incrementAndGet();
            return new ClusterView(List.of(), List.of(), routes.get(), List.of(), List.of(WEB), List.of(), List.of(),
                    TranslationOptions.DEFAULTS);
        }, new Translator(), new SnapshotCodec(), 7, (snapshot, at) -> published.add(snapshot), versions,
                translated::add, quiet, maxDelay, registry, Clock.systemUTC());
    }

    @Test
    void aBurstOfSignalsIsOneRebuildAndOnePublication() throws Exception {
        start(Duration.ofMillis(150), Duration.ofSeconds(5));
        routes.set(List.of(route("shop", 1, "Host(`shop.example.com`)")));
        for (int i = 0; i < 20; i++) {
            loop.changed();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1);
        Thread.sleep(400);
        assertThat(reads.get()).isEqualTo(1);
        assertThat(published).hasSize(1);
        assertThat(published.get(0).version()).isEqualTo(new SnapshotVersion(7, 1));
        assertThat(versions.generation(new SnapshotVersion(7, 1), new ObjectRef("IngressRoute", "default", "shop")))
                .hasValue(1);
    }

    @Test
    void unchangedContentIsNotPublishedButItsGenerationsAreRecorded() throws Exception {
        start(Duration.ofMillis(20), Duration.ofSeconds(1));
        routes.set(List.of(route("shop", 1, "Host(`shop.example.com`)")));
        loop.changed();
        await().atMost(Duration.ofSeconds(5)).until(() -> translated.size() == 1);

        // generation 2 with the same routing content: no new version, but 7.1 now serves generation 2
        routes.set(List.of(route("shop", 2, "Host(`shop.example.com`)")));
        loop.changed();
        await().atMost(Duration.ofSeconds(5)).until(() -> translated.size() == 2);
        assertThat(published).hasSize(1);
        assertThat(loop.lastPublished()).isEqualTo(new SnapshotVersion(7, 1));
        assertThat(versions.generation(new SnapshotVersion(7, 1), new ObjectRef("IngressRoute", "default", "shop")))
                .hasValue(2);

        routes.set(List.of(route("shop", 3, "Host(`other.example.com`)")));
        loop.changed();
        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 2);
        assertThat(published.get(1).version()).isEqualTo(new SnapshotVersion(7, 2));
        assertThat(registry.get("sluice.reconciles").counter().count()).isEqualTo(3.0);
    }

    @Test
    void aRebuildTranslatesAgainOnlyTheRoutesThatChangedAndCountsThem() throws Exception {
        start(Duration.ofMillis(20), Duration.ofSeconds(1));
        routes.set(List.of(route("shop", 1, "Host(`shop.example.com`)"), route("cart", 1, "Host(`cart.example.com`)")));
        loop.changed();
        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1);

        routes.set(List.of(route("shop", 1, "Host(`shop.example.com`)"), route("cart", 2, "Host(`basket.example.com`)")));
        loop.changed();
        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 2);

        assertThat(published.get(1).routers()).extracting(r -> r.id())
                .containsExactly("ingressroute/default/cart/0", "ingressroute/default/shop/0");
        assertThat(registry.get("sluice.translate.objects").tag("result", "translated").counter().count())
                .as("both at first, then cart").isEqualTo(3.0);
        assertThat(registry.get("sluice.translate.objects").tag("result", "reused").counter().count())
                .as("shop the second time").isEqualTo(1.0);
    }

    @Test
    void aSteadyStreamOfSignalsStillRebuildsWithinTheMaximumDelay() throws Exception {
        start(Duration.ofMillis(200), Duration.ofMillis(500));
        routes.set(List.of(route("shop", 1, "Host(`shop.example.com`)")));
        long started = System.nanoTime();
        while (published.isEmpty() && System.nanoTime() - started < Duration.ofSeconds(3).toNanos()) {
            loop.changed();
            Thread.sleep(50);
        }
        assertThat(published).hasSize(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
    }

    private static IngressRoute route(String name, long generation, String rule) {
        return Serialization.unmarshal("""
                apiVersion: sluice.io/v1alpha1
                kind: IngressRoute
                metadata: {name: %s, namespace: default, generation: %d}
                spec:
                  routes:
                  - match: %s
                    kind: Rule
                    services: [{name: web, port: 80}]
                """.formatted(name, generation, rule), IngressRoute.class);
    }
}
