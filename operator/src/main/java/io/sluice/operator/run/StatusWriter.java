package io.sluice.operator.run;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatusBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.operator.crd.IngressRoute;
import io.sluice.operator.crd.IngressRouteTCP;
import io.sluice.operator.crd.IngressRouteStatus;
import io.sluice.operator.crd.Middleware;
import io.sluice.operator.crd.MiddlewareStatus;
import io.sluice.operator.crd.TraefikService;
import io.sluice.operator.crd.TraefikServiceStatus;
import io.sluice.operator.push.FleetListener;
import io.sluice.operator.push.FleetStatus;
import io.sluice.operator.status.ConditionState;
import io.sluice.operator.status.Conditions;
import io.sluice.operator.translate.ObjectStatus;
import io.sluice.operator.translate.Problem;
import io.sluice.operator.translate.Translation;
import io.sluice.snapshot.SnapshotVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what the operator made of each object back to it: {@code Accepted}, {@code ResolvedRefs} and
 * {@code Programmed} on IngressRoutes, IngressRouteTCPs, Middlewares and
 * TraefikServices, {@code status.loadBalancer.ingress} on our Ingresses, and
 * the problems of all three kinds as Events ({@link RejectionEvents}).
 *
 * <p>A pass runs after every translation, when the fleet reaches a version, and every {@code refreshInterval}
 * (proxies joining or leaving change {@code Programmed} without a new version). Passes are coalesced and run on
 * one thread ({@code sluice-status}), so API calls never block the snapshot or push threads. Each write is a
 * status-subresource JSON Patch addressed by namespace and name, carrying the status only, and is skipped when
 * {@link Conditions#same} says it would change nothing (compared with what this writer last wrote, or the cached
 * object before the first write).
 *
 * <p>Metric: {@code sluice_status_writes_total{kind}}.
 */
public final class StatusWriter implements FleetListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);
    private static final int MAX_MESSAGE = 1024;
    private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);

    private final KubernetesClient client;
    private final ClusterCache cache;
    private final ProgrammedCondition programmed;
    private final IngressAddresses addresses;
    private final RejectionEvents events;
    private final Clock clock;
    private final Map<String, Counter> writes = new HashMap<>();
    private final Map<String, IngressRouteStatus> writtenRoutes = new HashMap<>();
    private final Map<String, IngressRouteStatus> writtenTcpRoutes = new HashMap<>();
    private final Map<String, MiddlewareStatus> writtenMiddlewares = new HashMap<>();
    private final Map<String, TraefikServiceStatus> writtenTraefikServices = new HashMap<>();
    private final Map<String, List<IngressLoadBalancerIngress>> writtenIngresses = new HashMap<>();
    private final ScheduledExecutorService thread;
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private volatile Translation latest;

    public StatusWriter(KubernetesClient client, ClusterCache cache, FleetStatus fleet, PublishedVersions versions,
            IngressAddresses addresses, RejectionEvents events, Duration refreshInterval, MeterRegistry registry,
            Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.programmed = new ProgrammedCondition(fleet, versions);
        this.addresses = Objects.requireNonNull(addresses, "addresses");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (String kind : SnapshotLoop.KINDS) {
            writes.put(kind, Counter.builder("sluice.status.writes").tag("kind", kind)
                    .description("Status patches sent, by kind of object").register(registry));
        }
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-status");
            t.setDaemon(true);
            return t;
        });
        long refresh = refreshInterval.toMillis();
        thread.scheduleWithFixedDelay(this::queuePass, refresh, refresh, TimeUnit.MILLISECONDS);
    }

    /** The snapshot loop translated the cluster again (whether or not it published). */
    public void translated(Translation translation) {
        latest = Objects.requireNonNull(translation, "translation");
        queuePass();
    }

    @Override
    public void fleetReached(SnapshotVersion version) {
        queuePass();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    private void queuePass() {
        if (passQueued.compareAndSet(false, true)) {
            try {
                thread.execute(this::pass);
            } catch (RejectedExecutionException e) {
                LOG.debug("status pass after close ignored");
            }
        }
    }

    private void pass() {
        passQueued.set(false);
        Translation translation = latest;
        if (translation == null) {
            return;
        }
        Map<String, List<Problem>> problems = translation.problems().stream()
                .collect(Collectors.groupingBy(p -> p.ref().toString()));
        List<IngressLoadBalancerIngress> ingressAddresses = null;
        for (ObjectStatus status : translation.statuses()) {
            List<Problem> own = problems.getOrDefault(status.ref().toString(), List.of());
            try {
                switch (status.ref().kind()) {
                    case "IngressRoute":
                        writeIngressRoute(status, own);
                        break;
                    case "Middleware":
                        writeMiddleware(status, own);
                        break;
                    case "TraefikService":
                        writeTraefikService(status, own);
                        break;
                    case "IngressRouteTCP":
                        writeIngressRouteTcp(status, own);
                        break;
                    case "Ingress":
                        if (ingressAddresses == null) {
                            ingressAddresses = addresses.configured() ? addresses.get() : List.of();
                        }
                        writeIngress(status, ingressAddresses);
                        break;
                    default:
                        break;
                }
            } catch (KubernetesClientException e) {
                LOG.warn("status of {} not written: {} {}", status.ref(), e.getCode(), e.getMessage());
            }
        }
        events.report(translation.problems());
        forgetDeleted();
    }

    /** Drops what was written for objects the cache no longer holds, so the memory does not grow forever. */
    private void forgetDeleted() {
        Set<String> live = new HashSet<>();
        for (HasMetadata object : cache.ownObjects()) {
            live.add(object.getMetadata().getUid());
        }
        writtenRoutes.keySet().retainAll(live);
        writtenMiddlewares.keySet().retainAll(live);
        writtenTraefikServices.keySet().retainAll(live);
        writtenTcpRoutes.keySet().retainAll(live);
        writtenIngresses.keySet().retainAll(live);
    }

    private void writeIngressRoute(ObjectStatus status, List<Problem> problems) {
        writeRouteStatus(IngressRoute.class, "IngressRoute",
                cache.ingressRoute(status.ref().namespace(), status.ref().name()), writtenRoutes, status, problems);
    }

    /** As {@link #writeIngressRoute}: the same conditions, and the server names in {@code hosts}. */
    private void writeIngressRouteTcp(ObjectStatus status, List<Problem> problems) {
        writeRouteStatus(IngressRouteTCP.class, "IngressRouteTCP",
                cache.ingressRouteTcp(status.ref().namespace(), status.ref().name()), writtenTcpRoutes, status,
                problems);
    }

    /**
     * The conditions and hosts of a route kind whose status is an {@link IngressRouteStatus}; nothing is written
     * when they equal what was written (or found) before.
     */
    private <R extends CustomResource<?, IngressRouteStatus>> void writeRouteStatus(Class<R> type, String kind,
            Optional<R> current, Map<String, IngressRouteStatus> written, ObjectStatus status,
            List<Problem> problems) {
        if (current.isEmpty() || stale(current.get(), status)) {
            return;
        }
        String uid = current.get().getMetadata().getUid();
        IngressRouteStatus before = written.get(uid);
        if (before == null) {
            before = current.get().getStatus() == null ? new IngressRouteStatus(null, null) : current.get().getStatus();
        }
        List<Condition> next = Conditions.next(before.conditions(), desired(status, problems), status.generation(),
                clock.instant());
        IngressRouteStatus after = new IngressRouteStatus(next, status.hosts());
        if (Conditions.same(before.conditions(), next) && before.hosts().equals(after.hosts())) {
            written.put(uid, before);
            return;
        }
        patchStatus(type, current.get(), after);
        writes.get(kind).increment();
        written.put(uid, after);
    }

    private void writeMiddleware(ObjectStatus status, List<Problem> problems) {
        Optional<Middleware> current = cache.middleware(status.ref().namespace(), status.ref().name());
        if (current.isEmpty() || stale(current.get(), status)) {
            return;
        }
        String uid = current.get().getMetadata().getUid();
        MiddlewareStatus before = writtenMiddlewares.get(uid);
        if (before == null) {
            before = current.get().getStatus() == null ? new MiddlewareStatus(null) : current.get().getStatus();
        }
        List<Condition> next = Conditions.next(before.conditions(), desired(status, problems), status.generation(),
                clock.instant());
        if (Conditions.same(before.conditions(), next)) {
            writtenMiddlewares.put(uid, before);
            return;
        }
        MiddlewareStatus after = new MiddlewareStatus(next);
        patchStatus(Middleware.class, current.get(), after);
        writes.get("Middleware").increment();
        writtenMiddlewares.put(uid, after);
    }

    private void writeTraefikService(ObjectStatus status, List<Problem> problems) {
        Optional<TraefikService> current = cache.traefikService(status.ref().namespace(), status.ref().name());
        if (current.isEmpty() || stale(current.get(), status)) {
            return;
        }
        String uid = current.get().getMetadata().getUid();
        TraefikServiceStatus before = writtenTraefikServices.get(uid);
        if (before == null) {
            before = current.get().getStatus() == null ? new TraefikServiceStatus(null) : current.get().getStatus();
        }
        List<Condition> next = Conditions.next(before.conditions(), desired(status, problems), status.generation(),
                clock.instant());
        if (Conditions.same(before.conditions(), next)) {
            writtenTraefikServices.put(uid, before);
            return;
        }
        TraefikServiceStatus after = new TraefikServiceStatus(next);
        patchStatus(TraefikService.class, current.get(), after);
        writes.get("TraefikService").increment();
        writtenTraefikServices.put(uid, after);
    }

    private void writeIngress(ObjectStatus status, List<IngressLoadBalancerIngress> wanted) {
        if (!addresses.configured() || !status.accepted()) {
            return;
        }
        Optional<Ingress> current = cache.ingress(status.ref().namespace(), status.ref().name());
        if (current.isEmpty()) {
            return;
        }
        String uid = current.get().getMetadata().getUid();
        List<IngressLoadBalancerIngress> before = writtenIngresses.get(uid);
        if (before == null) {
            Ingress cached = current.get();
            before = cached.getStatus() == null || cached.getStatus().getLoadBalancer() == null
                    || cached.getStatus().getLoadBalancer().getIngress() == null ? List.of()
                    : cached.getStatus().getLoadBalancer().getIngress();
        }
        if (before.equals(wanted)) {
            writtenIngresses.put(uid, before);
            return;
        }
        patchStatus(Ingress.class, current.get(),
                new IngressStatusBuilder().withNewLoadBalancer().withIngress(wanted).endLoadBalancer().build());
        writes.get("Ingress").increment();
        writtenIngresses.put(uid, List.copyOf(wanted));
    }

    /** The cache already holds a newer generation than was translated: the next translation will report it. */
    private static boolean stale(HasMetadata cached, ObjectStatus status) {
        Long generation = cached.getMetadata().getGeneration();
        return generation != null && generation > status.generation();
    }

    private List<ConditionState> desired(ObjectStatus status, List<Problem> problems) {
        String explained = explain(problems);
        List<ConditionState> conditions = new ArrayList<>(3);
        conditions.add(status.accepted()
                ? ConditionState.isTrue(Conditions.ACCEPTED, "Accepted", explained)
                : ConditionState.isFalse(Conditions.ACCEPTED, "Invalid", explained));
        conditions.add(status.resolvedRefs()
                ? ConditionState.isTrue(Conditions.RESOLVED_REFS, "ResolvedRefs", "")
                : ConditionState.isFalse(Conditions.RESOLVED_REFS, "RefNotResolved", explained));
        conditions.add(programmed.of(status));
        return conditions;
    }

    /** The problems as one message, {@code field: message; ...}, cut to a readable length. */
    static String explain(List<Problem> problems) {
        String text = problems.stream().map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("; "));
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE - 3) + "...";
    }

    /**
     * Sets {@code status} through the status subresource with a JSON Patch that names the object by its path and
     * carries the status only. A JSON Patch rather than a merge patch: lists (conditions) must be replaced whole,
     * and {@code add} replaces an existing member or creates a missing one (RFC 6902, 4.1).
     */
    private <T extends HasMetadata> void patchStatus(Class<T> type, HasMetadata object, Object status) {
        String json = "[{\"op\":\"add\",\"path\":\"/status\",\"value\":"
                + client.getKubernetesSerialization().asJson(status) + "}]";
        client.resources(type).inNamespace(object.getMetadata().getNamespace())
                .withName(object.getMetadata().getName()).subresource("status").patch(JSON_PATCH, json);
    }
}
