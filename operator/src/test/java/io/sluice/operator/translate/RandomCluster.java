package io.sluice.operator.translate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.operator.crd.IngressRoute;
import io.sluice.operator.crd.Middleware;
import io.sluice.operator.crd.TLSOption;
import io.sluice.operator.crd.TraefikService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A small cluster that changes at random, the way an API server would: each add or update gets a new
 * {@code resourceVersion}, deletes remove the object. Names come from a small set per kind so adds, updates and
 * deletes hit the same objects and references come and go. Seeded, so a failing sequence replays exactly.
 */
final class RandomCluster {
    static final List<String> KINDS =
            List.of("EndpointSlice", "Service", "Middleware", "Ingress", "Secret", "IngressRoute");
    private static final List<String> NAMESPACES = List.of("a", "b");
    private static final String PEM = "-----BEGIN X-----\\nAAAA\\n-----END X-----\\n";

    private final Random random;
    private final Map<String, HasMetadata> objects = new TreeMap<>();
    private long resourceVersion;

    RandomCluster(long seed) {
        this.random = new Random(seed);
        put(Serialization.unmarshal("""
                apiVersion: networking.k8s.io/v1
                kind: IngressClass
                metadata: {name: sluice}
                spec: {controller: sluice.io/ingress-controller}
                """, IngressClass.class));
        for (String ns : NAMESPACES) {
            put(Serialization.unmarshal("""
                    apiVersion: sluice.io/v1alpha1
                    kind: TraefikService
                    metadata: {name: ts0, namespace: %s}
                    spec:
                      weighted:
                        services: [{name: svc0, port: 80, weight: 2}, {name: svc1, port: http, weight: 1}]
                    """.formatted(ns), TraefikService.class));
            put(Serialization.unmarshal("""
                    apiVersion: sluice.io/v1alpha1
                    kind: TLSOption
                    metadata: {name: strict, namespace: %s}
                    spec: {minVersion: VersionTLS12}
                    """.formatted(ns), TLSOption.class));
        }
        for (int i = 0; i < 40; i++) {
            change(KINDS.get(random.nextInt(KINDS.size())), true);
        }
    }

    /** Adds, updates or deletes one object of a random kind; says what it did. */
    String step() {
        return change(KINDS.get(random.nextInt(KINDS.size())), false);
    }

    ClusterView view(TranslationOptions options) {
        return new ClusterView(of(Ingress.class), of(IngressClass.class), of(IngressRoute.class),
                of(Middleware.class), of(Service.class), of(EndpointSlice.class), of(Secret.class), options,
                of(TLSOption.class), List.of(), of(TraefikService.class));
    }

    private String change(String kind, boolean addOnly) {
        String ns = pick(NAMESPACES);
        String name = name(kind);
        String key = kind + " " + ns + "/" + name;
        if (!addOnly && objects.containsKey(key) && random.nextInt(4) == 0) {
            objects.remove(key);
            return "delete " + key;
        }
        String verb = objects.containsKey(key) ? "update " : "add ";
        put(create(kind, ns, name));
        return verb + key;
    }

    private String name(String kind) {
        return switch (kind) {
            case "EndpointSlice" -> "svc" + random.nextInt(5) + "-" + random.nextInt(2);
            case "Service" -> "svc" + random.nextInt(5);
            case "Middleware" -> "mw" + random.nextInt(4);
            case "Secret" -> random.nextInt(4) == 0 ? "users" : "tls" + random.nextInt(3);
            case "Ingress" -> "ing" + random.nextInt(6);
            default -> "ir" + random.nextInt(6);
        };
    }

    private HasMetadata create(String kind, String ns, String name) {
        String meta = "metadata: {name: " + name + ", namespace: " + ns + "}\n";
        switch (kind) {
            case "Service":
                return Serialization.unmarshal("apiVersion: v1\nkind: Service\n" + meta + "spec:\n  ports: ["
                        + pick(List.of("{name: http, port: 80}", "{name: web, port: 80}", "{port: 81}",
                                "{name: http, port: 80}, {name: admin, port: 81}")) + "]\n", Service.class);
            case "EndpointSlice":
                String service = random.nextInt(5) == 0 ? "svc" + random.nextInt(5) : name.substring(0, 4);
                return Serialization.unmarshal("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
                        + "metadata: {name: " + name + ", namespace: " + ns + ", labels: {kubernetes.io/service-name: "
                        + service + "}}\naddressType: IPv4\nports: [{name: " + pick(List.of("http", "web", "\"\""))
                        + ", port: " + (8080 + random.nextInt(3)) + "}]\nendpoints:" + endpoints(), EndpointSlice.class);
            case "Secret":
                if (name.equals("users")) {
                    return Serialization.unmarshal("apiVersion: v1\nkind: Secret\n" + meta + "type: Opaque\n"
                            + "stringData: {users: \"alice:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/\"}\n", Secret.class);
                }
                return Serialization.unmarshal("apiVersion: v1\nkind: Secret\n" + meta
                        + (random.nextInt(4) == 0 ? "type: Opaque\n" : "type: kubernetes.io/tls\n")
                        + "stringData: {tls.crt: \"" + PEM + random.nextInt(100) + "\", tls.key: \"" + PEM + "\"}\n",
                        Secret.class);
            case "Middleware":
                return Serialization.unmarshal("apiVersion: sluice.io/v1alpha1\nkind: Middleware\n" + meta + "spec:\n"
                        + pick(List.of(
                                "  headers: {customResponseHeaders: {X-Served: \"" + random.nextInt(9) + "\"}}\n",
                                "  basicAuth: {secret: users}\n",
                                "  chain: {middlewares: [{name: mw" + random.nextInt(4) + "}]}\n",
                                "  errors: {status: [\"500-599\"], service: {name: svc" + random.nextInt(5)
                                        + ", port: 80}}\n",
                                "  stripPrefix: {prefixes: [/x" + random.nextInt(3) + "]}\n")), Middleware.class);
            case "Ingress":
                return Serialization.unmarshal(ingress(ns, name), Ingress.class);
            default:
                return Serialization.unmarshal(ingressRoute(meta), IngressRoute.class);
        }
    }

    private String endpoints() {
        StringBuilder out = new StringBuilder("\n");
        for (int i = 0, n = random.nextInt(3); i < n; i++) {
            out.append("- addresses: [\"10.0.").append(random.nextInt(3)).append('.').append(random.nextInt(4))
                    .append("\"]\n  conditions: {ready: ").append(random.nextBoolean()).append("}\n");
        }
        return out.length() == 1 ? " []\n" : out.toString();
    }

    private String ingress(String ns, String name) {
        String host = "h" + random.nextInt(3) + ".example.com";
        String annotations = random.nextInt(3) == 0 ? "  annotations: {sluice.io/router.middlewares: \""
                + pick(List.of(ns + "-mw" + random.nextInt(4), ns + "/mw" + random.nextInt(4), "b-mw0")) + "\"}\n" : "";
        return "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: " + name + "\n  namespace: " + ns
                + "\n  creationTimestamp: \"2024-01-0" + (1 + random.nextInt(3)) + "T00:00:00Z\"\n" + annotations
                + "spec:\n  ingressClassName: " + (random.nextInt(8) == 0 ? "other" : "sluice") + "\n"
                + (random.nextBoolean() ? "  tls: [{hosts: [" + host + "], secretName: tls" + random.nextInt(3) + "}]\n" : "")
                + "  rules:\n  - host: " + host + "\n    http:\n      paths:\n"
                + "      - {path: /" + pick(List.of("", "x", "y")) + ", pathType: " + pick(List.of("Prefix", "Exact"))
                + ", backend: {service: {name: svc" + random.nextInt(5) + ", port: "
                + pick(List.of("{number: 80}", "{name: http}", "{number: 81}")) + "}}}\n"
                + (random.nextBoolean() ? "  defaultBackend: {service: {name: svc" + random.nextInt(5)
                        + ", port: {number: 80}}}\n" : "");
    }

    private String ingressRoute(String meta) {
        StringBuilder routes = new StringBuilder();
        for (int r = 0, n = 1 + random.nextInt(2); r < n; r++) {
            routes.append("  - match: Host(`h").append(random.nextInt(3)).append(".example.com`) && PathPrefix(`/")
                    .append(random.nextInt(3)).append("`)\n    kind: Rule\n");
            if (random.nextBoolean()) {
                routes.append("    middlewares: [{name: mw").append(random.nextInt(4)).append("}]\n");
            }
            routes.append("    services:\n");
            for (int s = 0, m = 1 + random.nextInt(2); s < m; s++) {
                routes.append(random.nextInt(5) == 0 ? "    - {kind: TraefikService, name: ts0}\n"
                        : "    - {name: svc" + random.nextInt(5) + ", port: " + pick(List.of("80", "http", "81"))
                                + "}\n");
            }
        }
        String tls = switch (random.nextInt(4)) {
            case 0 -> "  tls: {secretName: tls" + random.nextInt(3) + "}\n";
            case 1 -> "  tls: {secretName: tls" + random.nextInt(3) + ", options: {name: strict}}\n";
            default -> "";
        };
        return "apiVersion: sluice.io/v1alpha1\nkind: IngressRoute\n" + meta + "spec:\n  routes:\n" + routes + tls;
    }

    private void put(HasMetadata object) {
        object.getMetadata().setResourceVersion(String.valueOf(++resourceVersion));
        object.getMetadata().setGeneration(resourceVersion);
        objects.put(object.getKind() + " " + (object.getMetadata().getNamespace() == null ? ""
                : object.getMetadata().getNamespace()) + "/" + object.getMetadata().getName(), object);
    }

    private <T> List<T> of(Class<T> type) {
        List<T> out = new ArrayList<>();
        objects.values().stream().filter(type::isInstance).map(type::cast).forEach(out::add);
        return out;
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
