package io.sluice.operator.run;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sluice.operator.translate.ObjectRef;
import io.sluice.operator.translate.Problem;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports the problems of Ingresses, IngressRoutes, Middlewares and TraefikServices as Kubernetes Events, next to the conditions
 * (Ingress has none of its own, so for it the Event is the only explanation): one Warning Event with reason
 * {@value #REASON} per distinct problem, when it first appears, not on every rebuild. A problem that goes away
 * and comes back is reported again. The message is {@code Kind namespace/name: field: problem}; the problem text
 * is the translator's, which never holds Secret content.
 *
 * <p>Used from the status writer's thread only.
 */
public final class RejectionEvents {
    public static final String REASON = "Rejected";
    static final String COMPONENT = "sluice-operator";
    private static final int MAX_MESSAGE = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(RejectionEvents.class);

    private final KubernetesClient client;
    private final Function<ObjectRef, Optional<HasMetadata>> objects;
    private final Clock clock;
    private final SplittableRandom random = new SplittableRandom();
    private Set<String> reported = new HashSet<>();

    /** @param objects looks the object a problem names up (the cache); empty for kinds not reported */
    public RejectionEvents(KubernetesClient client, Function<ObjectRef, Optional<HasMetadata>> objects,
            Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.objects = Objects.requireNonNull(objects, "objects");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Emits an Event for each problem not reported before; forgets problems no longer present. */
    public void report(List<Problem> problems) {
        Set<String> now = new HashSet<>();
        for (Problem problem : problems) {
            Optional<HasMetadata> object = objects.apply(problem.ref());
            if (object.isEmpty()) {
                continue;
            }
            String key = object.get().getMetadata().getUid() + "\n" + problem.field() + "\n" + problem.message();
            now.add(key);
            if (!reported.contains(key) && !emit(object.get(), problem)) {
                now.remove(key);
            }
        }
        reported = now;
    }

    /** The Event's message: which object, where in it, and what is wrong. */
    static String message(Problem problem) {
        String text = problem.ref() + ": " + problem.field() + ": " + problem.message();
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE - 3) + "...";
    }

    private boolean emit(HasMetadata object, Problem problem) {
        String at = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        String namespace = object.getMetadata().getNamespace();
        Event event = new EventBuilder()
                .withNewMetadata()
                    .withNamespace(namespace)
                    .withName(object.getMetadata().getName() + "." + Long.toHexString(random.nextLong() >>> 1))
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(object.getApiVersion())
                        .withKind(object.getKind()).withNamespace(namespace).withName(object.getMetadata().getName())
                        .withUid(object.getMetadata().getUid()).build())
                .withType("Warning")
                .withReason(REASON)
                .withMessage(message(problem))
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
