package io.sluice.operator.run;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.sluice.operator.crd.IngressRoute;
import io.sluice.operator.crd.Middleware;
import io.sluice.operator.crd.TLSOption;
import io.sluice.operator.translate.ClusterView;
import io.sluice.operator.translate.TranslationOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps the objects translation reads in fabric8 informer caches and hands out a {@link ClusterView} of them.
 *
 * <p>Events carry no data to anyone: every add, change or delete only calls {@code onChange}, and whoever
 * rebuilds reads the whole view again. Updates that change nothing translation reads are not signalled: resyncs
 * (same resourceVersion) and status-only writes to our own custom resources (same generation, labels and
 * annotations), so the status writer does not wake the snapshot loop.
 *
 * <p>With watched namespaces, one informer per namespace and kind; otherwise one per kind across all namespaces.
 * IngressClasses are cluster-scoped and always watched whole.
 */
public final class ClusterCache implements AutoCloseable {
    private final KubernetesClient client;
    private final List<String> namespaces;
    private final Runnable onChange;
    private final List<SharedIndexInformer<?>> all = new ArrayList<>();
    private List<SharedIndexInformer<Ingress>> ingresses;
    private List<SharedIndexInformer<IngressClass>> ingressClasses;
    private List<SharedIndexInformer<IngressRoute>> ingressRoutes;
    private List<SharedIndexInformer<Middleware>> middlewares;
    private List<SharedIndexInformer<Service>> services;
    private List<SharedIndexInformer<EndpointSlice>> endpointSlices;
    private List<SharedIndexInformer<Secret>> secrets;
    private List<SharedIndexInformer<TLSOption>> tlsOptions;

    /**
     * @param namespaces the namespaces to watch; empty for all
     * @param onChange   called on an informer thread after any relevant change; must return quickly
     */
    public ClusterCache(KubernetesClient client, List<String> namespaces, Runnable onChange) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespaces = List.copyOf(namespaces);
        this.onChange = Objects.requireNonNull(onChange, "onChange");
    }

    /** Starts every informer and returns once each has listed its objects. */
    public synchronized void start() {
        if (!all.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        ingresses = namespaced(Ingress.class);
        ingressClasses = List.of(track(client.resources(IngressClass.class).inform(new Signal<>(), 0)));
        ingressRoutes = namespaced(IngressRoute.class);
        middlewares = namespaced(Middleware.class);
        services = namespaced(Service.class);
        endpointSlices = namespaced(EndpointSlice.class);
        secrets = namespaced(Secret.class);
        tlsOptions = namespaced(TLSOption.class);
    }

    /** True once started and every informer has synced. */
    public synchronized boolean synced() {
        return !all.isEmpty() && all.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** The cached objects right now. */
    public synchronized ClusterView view(TranslationOptions options) {
        if (all.isEmpty()) {
            throw new IllegalStateException("not started");
        }
        return new ClusterView(list(ingresses), list(ingressClasses), list(ingressRoutes), list(middlewares),
                list(services), list(endpointSlices), list(secrets), options, list(tlsOptions));
    }

    /** Every cached Ingress, IngressRoute and Middleware: the objects whose status is ours to write. */
    public synchronized List<HasMetadata> ownObjects() {
        List<HasMetadata> objects = new ArrayList<>();
        if (!all.isEmpty()) {
            objects.addAll(list(ingresses));
            objects.addAll(list(ingressRoutes));
            objects.addAll(list(middlewares));
        }
        return objects;
    }

    /** The cached IngressRoute with this namespace and name. */
    public Optional<IngressRoute> ingressRoute(String namespace, String name) {
        return find(ingressRoutes, namespace, name);
    }

    public Optional<Middleware> middleware(String namespace, String name) {
        return find(middlewares, namespace, name);
    }

    public Optional<Ingress> ingress(String namespace, String name) {
        return find(ingresses, namespace, name);
    }

    @Override
    public synchronized void close() {
        all.forEach(SharedIndexInformer::close);
    }

    private synchronized <T extends HasMetadata> Optional<T> find(List<SharedIndexInformer<T>> informers,
            String namespace, String name) {
        if (informers == null) {
            return Optional.empty();
        }
        String key = namespace + "/" + name;
        for (SharedIndexInformer<T> informer : informers) {
            T found = informer.getStore().getByKey(key);
            if (found != null) {
                return Optional.of(found);
            }
        }
        return Optional.empty();
    }

    private <T extends HasMetadata> List<SharedIndexInformer<T>> namespaced(Class<T> type) {
        List<SharedIndexInformer<T>> informers = new ArrayList<>();
        if (namespaces.isEmpty()) {
            informers.add(track(client.resources(type).inAnyNamespace().inform(new Signal<>(), 0)));
        } else {
            for (String namespace : namespaces) {
                informers.add(track(client.resources(type).inNamespace(namespace).inform(new Signal<>(), 0)));
            }
        }
        return List.copyOf(informers);
    }

    private <T extends HasMetadata> SharedIndexInformer<T> track(SharedIndexInformer<T> informer) {
        all.add(informer);
        return informer;
    }

    private static <T> List<T> list(List<SharedIndexInformer<T>> informers) {
        List<T> objects = new ArrayList<>();
        informers.forEach(i -> objects.addAll(i.getStore().list()));
        return objects;
    }

    /** Turns informer events into change signals, leaving out updates translation would not notice. */
    private final class Signal<T extends HasMetadata> implements ResourceEventHandler<T> {
        @Override
        public void onAdd(T object) {
            onChange.run();
        }

        @Override
        public void onUpdate(T before, T after) {
            if (!irrelevant(before, after)) {
                onChange.run();
            }
        }

        @Override
        public void onDelete(T object, boolean deletedFinalStateUnknown) {
            onChange.run();
        }

        private boolean irrelevant(T before, T after) {
            if (Objects.equals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion())) {
                return true;
            }
            return after instanceof CustomResource
                    && after.getMetadata().getGeneration() != null
                    && Objects.equals(before.getMetadata().getGeneration(), after.getMetadata().getGeneration())
                    && Objects.equals(((CustomResource<?, ?>) before).getSpec(),
                            ((CustomResource<?, ?>) after).getSpec())
                    && Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())
                    && Objects.equals(before.getMetadata().getAnnotations(), after.getMetadata().getAnnotations());
        }
    }
}
