package io.sluice.operator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.operator.crd.IngressRoute;
import io.sluice.snapshot.SnapshotCodec;
import io.sluice.snapshot.SnapshotVersion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Incremental translation gives exactly what a full translation gives, after every change of a random sequence
 * (adds, updates and deletes of EndpointSlices, Services, Middlewares, Ingresses, Secrets and IngressRoutes), and
 * it does reuse results. Seeded: a failure names the seed and the step, and replays.
 */
class IncrementalTranslatorTest {
    private static final int STEPS = 300;
    private final SnapshotCodec codec = new SnapshotCodec();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void equalsAFullTranslationAfterEveryChange(long seed) {
        RandomCluster cluster = new RandomCluster(seed);
        TranslationOptions options = seed % 2 == 0 ? TranslationOptions.DEFAULTS
                : new TranslationOptions("sluice", "sluice.io/ingress-controller", true, List.of("web"));
        IncrementalTranslator incremental = new IncrementalTranslator();
        Translator full = new Translator();
        int reused = 0;
        int routers = 0;
        int problems = 0;
        for (int step = 0; step <= STEPS; step++) {
            String change = step == 0 ? "initial" : cluster.step();
            ClusterView view = cluster.view(options);
            Translation expected = full.translate(view);
            Translation actual = incremental.translate(view);
            String where = "seed " + seed + ", step " + step + " (" + change + ")";
            assertThat(actual).as(where).isEqualTo(expected);
            assertThat(codec.contentHash(actual.toSnapshot(new SnapshotVersion(1, step))))
                    .as(where).isEqualTo(codec.contentHash(expected.toSnapshot(new SnapshotVersion(1, step))));
            reused += incremental.lastReuse().reused();
            routers = Math.max(routers, expected.routers().size());
            problems = Math.max(problems, expected.problems().size());
        }
        assertThat(reused).as("results were reused").isGreaterThan(STEPS);
        assertThat(routers).as("the cluster routed something").isGreaterThan(5);
        assertThat(problems).as("and had problems to report").isGreaterThan(3);
    }

    @Test
    void anEndpointSliceChangeTranslatesOnlyTheObjectsReadingItsService() {
        List<HasMetadata> objects = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            objects.add(yaml("apiVersion: v1\nkind: Service\nmetadata: {name: svc" + i + ", namespace: a,"
                    + " resourceVersion: \"1\"}\nspec: {ports: [{port: 80}]}\n", Service.class));
            objects.add(slice("svc" + i, "10.0.0." + i, "1"));
            objects.add(yaml("apiVersion: sluice.io/v1alpha1\nkind: IngressRoute\nmetadata: {name: r" + i
                    + ", namespace: a, resourceVersion: \"1\", generation: 1}\nspec:\n  routes:\n"
                    + "  - {match: Host(`r" + i + ".example.com`), kind: Rule, services: [{name: svc" + i
                    + ", port: 80}]}\n", IngressRoute.class));
        }
        objects.add(yaml("apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: sluice}\n"
                + "spec: {controller: sluice.io/ingress-controller}\n", IngressClass.class));
        objects.add(yaml("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: a,"
                + " resourceVersion: \"1\"}\nspec:\n  ingressClassName: sluice\n"
                + "  defaultBackend: {service: {name: svc0, port: {number: 80}}}\n", Ingress.class));
        IncrementalTranslator translator = new IncrementalTranslator();
        translator.translate(view(objects));
        assertThat(translator.lastReuse()).isEqualTo(new TranslationReuse(0, 4));

        objects.set(1, slice("svc0", "10.0.0.9", "2"));
        Translation after = translator.translate(view(objects));

        assertThat(translator.lastReuse()).as("r0 and the Ingress read svc0").isEqualTo(new TranslationReuse(2, 2));
        assertThat(after.services()).filteredOn(s -> s.id().equals("ingressroute/a/r0/0")).singleElement()
                .satisfies(s -> assertThat(((io.sluice.snapshot.Service.LoadBalancer) s).endpoints())
                        .extracting(e -> e.address()).containsExactly("10.0.0.9"));
        assertThat(after).isEqualTo(new Translator().translate(view(objects)));
    }

    @Test
    void aStatusWriteToAnIngressRouteKeepsItsResult() {
        IngressRoute route = yaml("apiVersion: sluice.io/v1alpha1\nkind: IngressRoute\nmetadata: {name: r,"
                + " namespace: a, resourceVersion: \"1\", generation: 1}\nspec:\n  routes:\n"
                + "  - {match: Host(`r.example.com`), kind: Rule, services: [{name: svc, port: 80}]}\n",
                IngressRoute.class);
        IncrementalTranslator translator = new IncrementalTranslator();
        translator.translate(view(List.of(route)));
        IngressRoute statusWritten = yaml(Serialization.asYaml(route), IngressRoute.class);
        statusWritten.getMetadata().setResourceVersion("2");

        translator.translate(view(List.of(statusWritten)));

        assertThat(translator.lastReuse()).isEqualTo(new TranslationReuse(1, 0));
    }

    private static EndpointSlice slice(String service, String address, String resourceVersion) {
        return yaml("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: " + service
                + "-x, namespace: a, resourceVersion: \"" + resourceVersion + "\", labels: {kubernetes.io/service-name: "
                + service + "}}\naddressType: IPv4\nports: [{port: 8080}]\nendpoints:\n- addresses: [\"" + address
                + "\"]\n", EndpointSlice.class);
    }

    private static <T> T yaml(String text, Class<T> type) {
        return Serialization.unmarshal(text, type);
    }

    private static ClusterView view(List<HasMetadata> objects) {
        return new ClusterView(of(objects, Ingress.class), of(objects, IngressClass.class),
                of(objects, IngressRoute.class), List.of(), of(objects, Service.class),
                of(objects, EndpointSlice.class), List.of(), TranslationOptions.DEFAULTS);
    }

    private static <T> List<T> of(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
