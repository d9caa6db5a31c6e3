package io.sluice.operator.run;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.operator.crd.IngressRoute;
import io.sluice.operator.crd.IngressRouteTCP;
import io.sluice.operator.crd.Middleware;
import io.sluice.operator.crd.TraefikService;
import io.sluice.operator.reconcile.Controllers;
import io.sluice.operator.reconcile.ReconcileMetrics;
import io.sluice.operator.translate.ClusterView;
import io.sluice.operator.translate.ObjectRef;
import io.sluice.operator.translate.TranslationOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs the JOSDK {@link Operator} with the four reconcilers ({@link Controllers}) on the given client and hands
 * out a {@link ClusterView} of their informer caches. Every replica runs it, leader or not, so a new leader starts
 * from warm caches.
 *
 * <p>Events carry no data to anyone: every relevant add, change or delete, of a primary or of a shared secondary
 * kind, only calls {@code onChange}, and whoever rebuilds reads the whole view again. Resyncs and status-only
 * writes to our own custom resources are not signalled, so the status writer does not wake the snapshot loop.
 *
 * <p>The client stays open when the operator stops (its owner closes it); an informer that cannot list at
 * startup fails {@link #start} rather than leaving the operator half-blind.
 */
public final class ClusterCache implements AutoCloseable {
    private static final Duration CACHE_SYNC_TIMEOUT = Duration.ofMinutes(2);
    private static final int RECONCILE_THREADS = 2;

    private final KubernetesClient client;
    private final Controllers controllers;
    private final Metrics metrics;
    private Operator operator;
    private volatile boolean started;

    /**
     * @param namespaces the namespaces to watch; empty for all
     * @param onChange   called on a JOSDK thread after any relevant change; must return quickly
     */
    public ClusterCache(KubernetesClient client, List<String> namespaces, Runnable onChange) {
        this(client, namespaces, onChange, Metrics.NOOP);
    }

    /** As above, recording reconciliations on {@code registry} ({@link ReconcileMetrics}). */
    public ClusterCache(KubernetesClient client, List<String> namespaces, Runnable onChange,
            MeterRegistry registry) {
        this(client, namespaces, onChange, new ReconcileMetrics(registry));
    }

    private ClusterCache(KubernetesClient client, List<String> namespaces, Runnable onChange, Metrics metrics) {
        this.client = Objects.requireNonNull(client, "client");
        this.controllers = new Controllers(Objects.requireNonNull(onChange, "onChange"), namespaces);
        this.metrics = metrics;
    }

    /** Starts every controller and returns once each informer has listed its objects. */
    public synchronized void start() {
        if (operator != null) {
            throw new IllegalStateException("already started");
        }
        operator = new Operator(o -> o.withKubernetesClient(client)
                .withCloseClientOnStop(false)
                .withStopOnInformerErrorDuringStartup(true)
                .withCacheSyncTimeout(CACHE_SYNC_TIMEOUT)
                .checkingCRDAndValidateLocalModel(false)
                .withUseSSAToPatchPrimaryResource(false)
                .withConcurrentReconciliationThreads(RECONCILE_THREADS)
                .withMetrics(metrics));
        controllers.registerWith(operator);
        operator.start();
        started = true;
    }

    /** True once started and every informer is synced and watching. */
    public boolean synced() {
        Operator current;
        synchronized (this) {
            current = operator;
        }
        return started && current != null && controllers.objects().complete()
                && current.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    /** The cached objects right now. */
    public ClusterView view(TranslationOptions options) {
        return controllers.objects().view(options);
    }

    /** Every cached Ingress, IngressRoute, Middleware and TraefikService: the objects whose status is ours to write. */
    public List<HasMetadata> ownObjects() {
        return controllers.objects().ownObjects();
    }

    public Optional<IngressRoute> ingressRoute(String namespace, String name) {
        return controllers.objects().ingressRoute(namespace, name);
    }

    public Optional<Middleware> middleware(String namespace, String name) {
        return controllers.objects().middleware(namespace, name);
    }

    public Optional<TraefikService> traefikService(String namespace, String name) {
        return controllers.objects().traefikService(namespace, name);
    }

    public Optional<IngressRouteTCP> ingressRouteTcp(String namespace, String name) {
        return controllers.objects().ingressRouteTcp(namespace, name);
    }

    public Optional<Ingress> ingress(String namespace, String name) {
        return controllers.objects().ingress(namespace, name);
    }

    /** The cached Ingress, IngressRoute or Middleware {@code ref} names. */
    public Optional<HasMetadata> primary(ObjectRef ref) {
        return controllers.objects().primary(ref);
    }

    @Override
    public synchronized void close() {
        started = false;
        if (operator != null) {
            operator.stop();
        }
    }
}
