package io.sluice.operator.run;

import io.sluice.operator.translate.ObjectRef;
import io.sluice.operator.translate.ObjectStatus;
import io.sluice.snapshot.SnapshotVersion;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Which generation of each accepted object every recently published snapshot contains, so {@code Programmed} can
 * say whether the version a proxy acknowledged serves the object as it is now, not an older spec of it.
 *
 * <p>When a rebuild produces the same content as the last published snapshot (nothing pushed), the generations it
 * read are recorded against that last snapshot: its content serves them just as well. Only the newest
 * {@value #KEPT} versions are kept; a proxy holding an older one is simply not counted as serving anything.
 */
public final class PublishedVersions {
    static final int KEPT = 64;

    private final TreeMap<SnapshotVersion, Map<ObjectRef, Long>> versions = new TreeMap<>();

    /** Records a newly published version and the objects it was built from. */
    public synchronized void published(SnapshotVersion version, List<ObjectStatus> statuses) {
        versions.put(Objects.requireNonNull(version, "version"), generations(statuses));
        while (versions.size() > KEPT) {
            versions.pollFirstEntry();
        }
    }

    /** A rebuild with unchanged content: the latest version also serves these generations. */
    public synchronized void unchanged(List<ObjectStatus> statuses) {
        if (!versions.isEmpty()) {
            Map<ObjectRef, Long> latest = versions.lastEntry().getValue();
            latest.putAll(generations(statuses));
        }
    }

    /** The generation of {@code ref} that {@code version} serves, if we published that version and it holds it. */
    public synchronized OptionalLong generation(SnapshotVersion version, ObjectRef ref) {
        if (version == null) {
            return OptionalLong.empty();
        }
        Map<ObjectRef, Long> objects = versions.get(version);
        Long generation = objects == null ? null : objects.get(ref);
        return generation == null ? OptionalLong.empty() : OptionalLong.of(generation);
    }

    @Override
    public synchronized String toString() {
        return versions.toString();
    }

    private static Map<ObjectRef, Long> generations(List<ObjectStatus> statuses) {
        Map<ObjectRef, Long> generations = new HashMap<>();
        for (ObjectStatus status : statuses) {
            if (status.accepted()) {
                generations.put(status.ref(), status.generation());
            }
        }
        return generations;
    }
}
