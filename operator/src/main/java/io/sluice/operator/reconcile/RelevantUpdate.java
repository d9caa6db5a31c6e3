package io.sluice.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Lets through only the updates translation could notice. Dropped: resyncs (same resourceVersion) and
 * status-only writes to our own custom resources (same generation, spec, labels and annotations), so the status
 * writer's patches do not wake the snapshot build. Every other update passes, annotation-only changes included:
 * Ingress annotations change routing without changing the generation.
 */
final class RelevantUpdate<R extends HasMetadata> implements OnUpdateFilter<R> {

    @Override
    public boolean accept(R after, R before) {
        if (Objects.equals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion())) {
            return false;
        }
        return !(after instanceof CustomResource)
                || after.getMetadata().getGeneration() == null
                || !Objects.equals(before.getMetadata().getGeneration(), after.getMetadata().getGeneration())
                || !Objects.equals(((CustomResource<?, ?>) before).getSpec(), ((CustomResource<?, ?>) after).getSpec())
                || !Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())
                || !Objects.equals(before.getMetadata().getAnnotations(), after.getMetadata().getAnnotations());
    }
}
