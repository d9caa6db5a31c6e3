package io.sluice.operator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.sluice.operator.crd.IngressRoute;
import io.sluice.operator.crd.IngressRouteSpec;
import io.sluice.operator.crd.Middleware;
import io.sluice.operator.crd.MiddlewareDefinition;
import io.sluice.operator.crd.MiddlewareRef;
import io.sluice.operator.crd.Route;
import io.sluice.operator.crd.ServiceRef;
import io.sluice.operator.crd.TraefikService;
import io.sluice.operator.crd.TraefikServiceSpec;
import io.sluice.snapshot.SnapshotValidator;
import io.sluice.snapshot.SnapshotVersion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Behaviour too large for a golden fixture: long chain cycles, many objects. */
class TranslatorTest {

    @Test
    void aLongChainCycleIsReportedWithoutOverflowingTheStack() {
        int n = 3000;
        List<Middleware> middlewares = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            middlewares.add(chain("m" + i, "m" + ((i + 1) % n)));
        }
        IngressRoute route = new IngressRoute();
        route.setMetadata(new ObjectMetaBuilder().withName("r").withNamespace("default").build());
        route.setSpec(new IngressRouteSpec(null, List.of(new Route("Host(`a.example.com`)", Route.Kind.RULE, null,
                List.of(new MiddlewareRef("m0", null)), List.of(new ServiceRef(null, "web", null,
                        new IntOrString(80), null, null, null, null, null)))), null));

        Translation t = new Translator().translate(new ClusterView(List.of(), List.of(), List.of(route), middlewares,
                List.of(), List.of(), List.of(), TranslationOptions.DEFAULTS));

        assertThat(t.middlewares()).isEmpty();
        assertThat(t.problems()).anyMatch(p -> p.message().startsWith("chain cycle "));
        assertThat(t.problems().stream().filter(p -> p.ref().kind().equals("Middleware")).count()).isEqualTo(n);
        assertThat(t.routers()).singleElement()
                .satisfies(r -> assertThat(r.service()).isEqualTo(SnapshotDraft.UNAVAILABLE_SERVICE));
        assertThat(new SnapshotValidator().validate(t.toSnapshot(new SnapshotVersion(1, 1)))).isEmpty();
    }

    @Test
    void traefikServiceCyclesAndDeepNestingAreReportedWithoutOverflowingTheStack() {
        int n = 3000;
        List<TraefikService> services = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            services.add(weighted("ts" + i, "ts" + ((i + 1) % n)));
        }
        for (int i = 0; i < 10; i++) {
            services.add(weighted("ring" + i, "ring" + ((i + 1) % 10)));
        }
        IngressRoute route = new IngressRoute();
        route.setMetadata(new ObjectMetaBuilder().withName("r").withNamespace("default").build());
        route.setSpec(new IngressRouteSpec(null, List.of(new Route("Host(`a.example.com`)", Route.Kind.RULE, null,
                null, List.of(new ServiceRef(ServiceRef.Kind.TRAEFIK_SERVICE, "ring3", null, null, null, null, null,
                        null, null)))), null));

        Translation t = new Translator().translate(new ClusterView(List.of(), List.of(), List.of(route), List.of(),
                List.of(), List.of(), List.of(), TranslationOptions.DEFAULTS, List.of(), List.of(), services));

        assertThat(t.problems().stream().filter(p -> p.field().equals("spec") && p.message().startsWith(
                "reference cycle default/ring0 -> default/ring1 -> ")).count()).isEqualTo(10);
        assertThat(t.routers()).singleElement()
                .satisfies(r -> assertThat(r.service()).isEqualTo(SnapshotDraft.UNAVAILABLE_SERVICE));
        assertThat(t.problems()).anyMatch(p -> p.message().contains("nested more than " + ServiceTargets.MAX_DEPTH));
        assertThat(t.statuses()).hasSize(n + 10 + 1);
        assertThat(new SnapshotValidator().validate(t.toSnapshot(new SnapshotVersion(1, 1)))).isEmpty();
    }

    private static TraefikService weighted(String name, String next) {
        TraefikService ts = new TraefikService();
        ts.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
        ts.setSpec(new TraefikServiceSpec(new TraefikServiceSpec.Weighted(List.of(new ServiceRef(
                ServiceRef.Kind.TRAEFIK_SERVICE, next, null, null, null, null, null, null, null)), null), null));
        return ts;
    }

    private static Middleware chain(String name, String next) {
        Middleware m = new Middleware();
        m.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
        m.setSpec(new MiddlewareDefinition(null, null, null, null, null, null, null, null,
                new MiddlewareDefinition.Chain(List.of(new MiddlewareRef(next, null)))));
        return m;
    }
}
