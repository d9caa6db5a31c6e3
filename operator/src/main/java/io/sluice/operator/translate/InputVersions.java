package io.sluice.operator.translate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The version of every input a route object's translation can read, by key: a Service, the EndpointSlices of a
 * Service, a Secret, whether a Middleware is usable, the outcome of a TraefikService, and (as one key each) all
 * TLSOptions and all ServersTransports. Comparing two of them gives the keys that changed, and so, through
 * {@link ObjectMemo}'s reverse index, the cached results that are stale.
 *
 * <p>A version is the object's {@code resourceVersion}; for our custom resources it is their generation, labels,
 * annotations and spec, so a status write (a new resourceVersion, nothing translation reads) keeps them cached; an
 * object without either is only equal to itself.
 */
final class InputVersions {
    static final String ALL_MIDDLEWARES = "Middleware *";
    static final String ALL_TLS_OPTIONS = "TLSOption *";
    static final String ALL_SERVERS_TRANSPORTS = "ServersTransport *";

    private final Map<String, Object> versions;

    private InputVersions(Map<String, Object> versions) {
        this.versions = versions;
    }

    static InputVersions none() {
        return new InputVersions(Map.of());
    }

    static String service(String namespace, String name) {
        return "Service " + namespace + "/" + name;
    }

    static String endpointSlices(String namespace, String service) {
        return "EndpointSlices " + namespace + "/" + service;
    }

    static String secret(String namespace, String name) {
        return "Secret " + namespace + "/" + name;
    }

    /** @param id a middleware snapshot id, {@code <namespace>/<name>} */
    static String middleware(String id) {
        return "Middleware " + id;
    }

    /** @param key {@code <namespace>/<name>} */
    static String traefikService(String key) {
        return "TraefikService " + key;
    }

    /**
     * The versions of {@code view}'s inputs, with the outcomes of the shared steps run before the route objects.
     *
     * @param usableMiddlewares the ids of the middlewares routers may use
     * @param traefikServices   the outcome of each TraefikService, by {@code <namespace>/<name>}
     */
    static InputVersions of(ClusterView view, Set<String> usableMiddlewares, Map<String, Object> traefikServices) {
        Map<String, Object> versions = new HashMap<>();
        for (io.fabric8.kubernetes.api.model.Service s : view.services()) {
            versions.put(service(s.getMetadata().getNamespace(), s.getMetadata().getName()), version(s));
        }
        Map<String, Map<String, Object>> slices = new HashMap<>();
        for (EndpointSlice slice : view.endpointSlices()) {
            Map<String, String> labels = slice.getMetadata().getLabels();
            String owner = labels == null ? null : labels.get(BackendResolver.SERVICE_NAME_LABEL);
            if (owner != null) {
                slices.computeIfAbsent(endpointSlices(slice.getMetadata().getNamespace(), owner),
                        k -> new TreeMap<>()).put(slice.getMetadata().getName(), version(slice));
            }
        }
        versions.putAll(slices);
        view.secrets().forEach(s -> versions.put(secret(s.getMetadata().getNamespace(), s.getMetadata().getName()),
                version(s)));
        usableMiddlewares.forEach(id -> versions.put(middleware(id), Boolean.TRUE));
        versions.put(ALL_MIDDLEWARES, new TreeSet<>(usableMiddlewares));
        traefikServices.forEach((key, outcome) -> versions.put(traefikService(key), outcome));
        versions.put(ALL_TLS_OPTIONS, all(view.tlsOptions()));
        versions.put(ALL_SERVERS_TRANSPORTS, all(view.serversTransports()));
        return new InputVersions(versions);
    }

    /** The keys whose version differs between {@code previous} and this (present in one only included). */
    Set<String> changedSince(InputVersions previous) {
        Set<String> changed = new HashSet<>();
        versions.forEach((key, version) -> {
            if (!version.equals(previous.versions.get(key))) {
                changed.add(key);
            }
        });
        previous.versions.keySet().stream().filter(key -> !versions.containsKey(key)).forEach(changed::add);
        return changed;
    }

    /** What a cached translation of {@code object} is valid for; see the class comment. */
    static Object version(HasMetadata object) {
        if (object instanceof CustomResource<?, ?> resource) {
            return Arrays.asList(resource.getMetadata().getGeneration(), resource.getMetadata().getLabels(),
                    resource.getMetadata().getAnnotations(), resource.getSpec());
        }
        String resourceVersion = object.getMetadata().getResourceVersion();
        return resourceVersion != null ? resourceVersion : new Identity(object);
    }

    private static Map<String, Object> all(List<? extends HasMetadata> objects) {
        Map<String, Object> all = new TreeMap<>();
        objects.forEach(o -> all.put(o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(), version(o)));
        return all;
    }

    /** Equal only to a wrapper of the same instance. */
    private record Identity(Object object) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity i && i.object == object;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(object);
        }
    }
}
