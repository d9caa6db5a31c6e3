package io.sluice.operator.run;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sluice.operator.translate.Problem;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports the problems of Ingresses as Kubernetes Events (Ingress has no conditions of its own): one Warning
 * Event with reason {@value #REASON} per distinct problem, when it first appears, not on every rebuild. A problem
 * that goes away and comes back is reported again. Messages are the translator's, which never hold Secret content.
 *
 * <p>Used from the status writer's thread only.
 */
public final class IngressEvents {
    public static final String REASON = "Rejected";
    static final String COMPONENT = "sluice-operator";
    private static final Logger LOG = LoggerFactory.getLogger(IngressEvents.class);

    private final KubernetesClient client;
    private final BiFunction<String, String, Optional<Ingress>> ingresses;
    private final Clock clock;
    private final SplittableRandom random = new SplittableRandom();
    private Set<String> reported = new HashSet<>();

    /** @param ingresses looks an Ingress up by namespace and name (the cache) */
    public IngressEvents(KubernetesClient client, BiFunction<String, String, Optional<Ingress>> ingresses,
            Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.ingresses = Objects.requireNonNull(ingresses, "ingresses");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Emits an Event for each Ingress problem not reported before; forgets problems no longer present. */
    public void report(List<Problem> problems) {
        Set<String> now = new HashSet<>();
        for (Problem problem : problems) {
            if (!"Ingress".equals(problem.ref().kind())) {
                continue;
            }
            Optional<Ingress> ingress = ingresses.apply(problem.ref().namespace(), problem.ref().name());
            if (ingress.isEmpty()) {
                continue;
            }
            String key = ingress.get().getMetadata().getUid() + "\n" + problem.field() + "\n" + problem.message();
            now.add(key);
            if (!reported.contains(key) && !emit(ingress.get(), problem)) {
                now.remove(key);
            }
        }
        reported = now;
    }

    private boolean emit(Ingress ingress, Problem problem) {
        String at = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        String namespace = ingress.getMetadata().getNamespace();
        Event event = new EventBuilder()
                .withNewMetadata()
                    .withNamespace(namespace)
                    .withName(ingress.getMetadata().getName() + "." + Long.toHexString(random.nextLong() >>> 1))
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion("networking.k8s.io/v1")
                        .withKind("Ingress").withNamespace(namespace).withName(ingress.getMetadata().getName())
                        .withUid(ingress.getMetadata().getUid()).build())
                .withType("Warning")
                .withReason(REASON)
                .withMessage(problem.field() + ": " + problem.message())
                .withFirstTimestamp(at)
                .withLastTimestamp(at)
                .withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .build();
        try {
            client.v1().events().inNamespace(namespace).resource(event).create();
            return true;
        } catch (KubernetesClientException e) {
            LOG.warn("event for {} not created: {} {}", problem.ref(), e.getCode(), e.getMessage());
            return false;
        }
    }
}
