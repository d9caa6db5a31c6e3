package io.sluice.proxy.apply;

import io.sluice.snapshot.SnapshotVersion;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one reference the data path reads: the compiled snapshot now serving, swapped whole. A request reads it
 * once and keeps that value to the end, so each request sees one consistent version.
 *
 * @param <C> the compiled form
 */
public final class ActiveSnapshot<C> {

    /** A compiled snapshot and the version it came from. */
    public record Applied<C>(SnapshotVersion version, C compiled) {
        public Applied {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(compiled, "compiled");
        }
    }

    private final AtomicReference<Applied<C>> current = new AtomicReference<>();

    /** The snapshot now serving, or null before the first apply. */
    public Applied<C> current() {
        return current.get();
    }

    /**
     * Installs {@code next} if it is newer than what is serving (or nothing is). Atomic against concurrent
     * installs: an older snapshot can never replace a newer one.
     *
     * @return true if installed
     */
    public boolean installIfNewer(Applied<C> next) {
        while (true) {
            Applied<C> now = current.get();
            if (now != null && !next.version().isNewerThan(now.version())) {
                return false;
            }
            if (current.compareAndSet(now, next)) {
                return true;
            }
        }
    }
}
