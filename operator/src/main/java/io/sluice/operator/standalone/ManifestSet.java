package io.sluice.operator.standalone;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/** The objects read from a manifest directory, and the problems that kept any document out. */
public record ManifestSet(List<HasMetadata> objects, List<ManifestProblem> problems) {
    public ManifestSet {
        objects = List.copyOf(objects);
        problems = List.copyOf(problems);
    }

    public boolean isClean() {
        return problems.isEmpty();
    }
}
