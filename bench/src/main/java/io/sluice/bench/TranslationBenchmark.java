package io.sluice.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.operator.crd.IngressRoute;
import io.sluice.operator.crd.Middleware;
import io.sluice.operator.translate.ClusterView;
import io.sluice.operator.translate.IncrementalTranslator;
import io.sluice.operator.translate.Translation;
import io.sluice.operator.translate.TranslationOptions;
import io.sluice.operator.translate.TranslationReuse;
import io.sluice.operator.translate.Translator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Full translation of a large cluster view against the incremental path after one EndpointSlice changed. The view:
 * 10 namespaces, 1,000 Services each with an EndpointSlice of three endpoints, 1,000 Ingresses (two paths over two
 * Services, TLS from a Secret, a middleware annotation), 500 IngressRoutes (a weighted pair of Services behind a
 * chain of headers and basicAuth, TLS from a Secret), 70 Middlewares and 110 Secrets. The changed slice belongs to
 * a Service read by two Ingresses and one IngressRoute.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TranslationBenchmark {
    private static final int NAMESPACES = 10;
    private static final int SERVICES_PER_NAMESPACE = 100;
    private static final int INGRESSES_PER_NAMESPACE = 100;
    private static final int ROUTES_PER_NAMESPACE = 50;
    private static final String PEM = "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n";

    private ClusterView before;
    private ClusterView after;
    private final Translator full = new Translator();
    private final IncrementalTranslator incremental = new IncrementalTranslator();
    private final IncrementalTranslator unchanged = new IncrementalTranslator();
    private boolean flip;

    @Setup
    public void build() {
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(Serialization.unmarshal("apiVersion: networking.k8s.io/v1\nkind: IngressClass\n"
                + "metadata: {name: sluice}\nspec: {controller: sluice.io/ingress-controller}\n", IngressClass.class));
        for (int n = 0; n < NAMESPACES; n++) {
            namespace("ns" + n, objects);
        }
        before = view(objects);
        int changed = objects.indexOf(objects.stream().filter(o -> o instanceof EndpointSlice
                && o.getMetadata().getName().equals("svc-0-a") && o.getMetadata().getNamespace().equals("ns0"))
                .findFirst().orElseThrow());
        objects.set(changed, slice("ns0", "svc-0", "10.99.0.1", "2"));
        after = view(objects);
        Translation expected = full.translate(after);
        incremental.translate(before);
        if (!incremental.translate(after).equals(expected)) {
            throw new IllegalStateException("incremental translation differs from the full one");
        }
        TranslationReuse reuse = incremental.lastReuse();
        if (reuse.translated() != 3 || expected.routers().size() < 2500) {
            throw new IllegalStateException("benchmark view is not what it claims: " + reuse + ", "
                    + expected.routers().size() + " routers, " + expected.problems() + " problems");
        }
        unchanged.translate(before);
    }

    /** Everything translated from scratch, as before incremental translation (and as standalone mode does). */
    @Benchmark
    public Translation fullTranslation() {
        return full.translate(after);
    }

    /** One EndpointSlice alternates between two versions; only its Service's three readers are translated again. */
    @Benchmark
    public Translation oneEndpointSliceChanged() {
        flip = !flip;
        return incremental.translate(flip ? before : after);
    }

    /** A rebuild in which nothing changed (a signal for an object translation ignores). */
    @Benchmark
    public Translation nothingChanged() {
        return unchanged.translate(before);
    }

    private static void namespace(String ns, List<HasMetadata> objects) {
        for (int s = 0; s < SERVICES_PER_NAMESPACE; s++) {
            objects.add(Serialization.unmarshal("apiVersion: v1\nkind: Service\nmetadata: {name: svc-" + s
                    + ", namespace: " + ns + ", resourceVersion: \"1\"}\nspec: {ports: [{name: http, port: 80}]}\n",
                    Service.class));
            objects.add(slice(ns, "svc-" + s, "10." + s + ".0.1", "1"));
        }
        for (int t = 0; t < 10; t++) {
            objects.add(Serialization.unmarshal("apiVersion: v1\nkind: Secret\nmetadata: {name: tls-" + t
                    + ", namespace: " + ns + ", resourceVersion: \"1\"}\ntype: kubernetes.io/tls\nstringData: {tls.crt: \""
                    + PEM + "\", tls.key: \"" + PEM.replace("CERTIFICATE", "PRIVATE KEY") + "\"}\n", Secret.class));
        }
        objects.add(Serialization.unmarshal("apiVersion: v1\nkind: Secret\nmetadata: {name: users, namespace: " + ns
                + ", resourceVersion: \"1\"}\ntype: Opaque\nstringData: {users: \"alice:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/\"}\n",
                Secret.class));
        for (int h = 0; h < 5; h++) {
            objects.add(middleware(ns, "headers-" + h, "headers: {customResponseHeaders: {X-Variant: \"" + h + "\"}}"));
        }
        objects.add(middleware(ns, "auth", "basicAuth: {secret: users}"));
        objects.add(middleware(ns, "secured", "chain: {middlewares: [{name: headers-0}, {name: auth}]}"));
        for (int i = 0; i < INGRESSES_PER_NAMESPACE; i++) {
            objects.add(Serialization.unmarshal("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n"
                    + "  name: ing-" + i + "\n  namespace: " + ns + "\n  resourceVersion: \"1\"\n"
                    + "  creationTimestamp: \"2024-01-01T00:00:00Z\"\n"
                    + "  annotations: {sluice.io/router.middlewares: \"" + ns + "/headers-" + (i % 5) + "\"}\n"
                    + "spec:\n  ingressClassName: sluice\n"
                    + "  tls: [{hosts: [ing-" + i + "." + ns + ".example.com], secretName: tls-" + (i % 10) + "}]\n"
                    + "  rules:\n  - host: ing-" + i + "." + ns + ".example.com\n    http:\n      paths:\n"
                    + "      - {path: /, pathType: Prefix, backend: {service: {name: svc-" + i
                    + ", port: {name: http}}}}\n"
                    + "      - {path: /api, pathType: Prefix, backend: {service: {name: svc-"
                    + ((i + 1) % SERVICES_PER_NAMESPACE) + ", port: {number: 80}}}}\n", Ingress.class));
        }
        for (int r = 0; r < ROUTES_PER_NAMESPACE; r++) {
            objects.add(Serialization.unmarshal("apiVersion: sluice.io/v1alpha1\nkind: IngressRoute\nmetadata: {name: ir-"
                    + r + ", namespace: " + ns + ", resourceVersion: \"1\", generation: 1}\nspec:\n  routes:\n"
                    + "  - match: Host(`ir-" + r + "." + ns + ".example.com`) && PathPrefix(`/`)\n    kind: Rule\n"
                    + "    middlewares: [{name: secured}]\n    services:\n"
                    + "    - {name: svc-" + (2 * r) + ", port: 80, weight: 3}\n"
                    + "    - {name: svc-" + (2 * r + 1) + ", port: http, weight: 1}\n"
                    + "  tls: {secretName: tls-" + (r % 10) + "}\n", IngressRoute.class));
        }
    }

    private static Middleware middleware(String ns, String name, String spec) {
        return Serialization.unmarshal("apiVersion: sluice.io/v1alpha1\nkind: Middleware\nmetadata: {name: " + name
                + ", namespace: " + ns + ", resourceVersion: \"1\", generation: 1}\nspec:\n  " + spec + "\n",
                Middleware.class);
    }

    private static EndpointSlice slice(String ns, String service, String firstAddress, String resourceVersion) {
        return Serialization.unmarshal("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: "
                + service + "-a, namespace: " + ns + ", resourceVersion: \"" + resourceVersion
                + "\", labels: {kubernetes.io/service-name: " + service + "}}\naddressType: IPv4\n"
                + "ports: [{name: http, port: 8080}]\nendpoints:\n- addresses: [\"" + firstAddress + "\"]\n"
                + "- addresses: [\"10.200.0.2\"]\n- addresses: [\"10.200.0.3\"]\n", EndpointSlice.class);
    }

    private static ClusterView view(List<HasMetadata> objects) {
        return new ClusterView(of(objects, Ingress.class), of(objects, IngressClass.class),
                of(objects, IngressRoute.class), of(objects, Middleware.class), of(objects, Service.class),
                of(objects, EndpointSlice.class), of(objects, Secret.class), TranslationOptions.DEFAULTS);
    }

    private static <T> List<T> of(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
