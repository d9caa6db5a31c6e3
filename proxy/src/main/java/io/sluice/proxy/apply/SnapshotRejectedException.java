package io.sluice.proxy.apply;

import java.util.List;

/** A snapshot that cannot be applied; {@link #problems()} names every reason. */
public final class SnapshotRejectedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public SnapshotRejectedException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
