package io.sluice.operator.translate;

import java.util.Set;

/**
 * Notes which inputs the object being translated reads, so {@link IncrementalTranslator} knows what a cached
 * result depends on. The lookups ({@link BackendResolver}, {@link SecretLookup}, {@link MiddlewareRefs},
 * {@link TlsOptionsTranslator}, {@link ServersTransports}, {@link ServiceTargets}) report each key they consult;
 * keys are the ones {@link InputVersions} versions. Outside {@link #recording} reads are ignored.
 *
 * <p>Lives for one translator; used by one thread at a time.
 */
final class ReadRecorder {
    private Set<String> current;

    /** Runs {@code work}, collecting the keys it reads into {@code into}. */
    void recording(Set<String> into, Runnable work) {
        Set<String> outer = current;
        current = into;
        try {
            work.run();
        } finally {
            current = outer;
        }
    }

    void read(String key) {
        if (current != null) {
            current.add(key);
        }
    }
}
