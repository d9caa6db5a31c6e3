package io.sluice.operator.translate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The cached translations of one kind of route object, each valid for the object's own version and the inputs it
 * read. A reverse index from each input key to the objects that read it lets {@link #forget} drop exactly the
 * results a change makes stale. One per kind (so a new kind adds one memo).
 *
 * @param <R> what translating one object gives (immutable)
 */
final class ObjectMemo<R> {
    private record Entry<R>(Object version, Set<String> reads, R result) {
    }

    private final ReadRecorder recorder;
    private final Map<ObjectRef, Entry<R>> entries = new HashMap<>();
    private final Map<String, Set<ObjectRef>> readers = new HashMap<>();
    private int reused;
    private int translated;

    ObjectMemo(ReadRecorder recorder) {
        this.recorder = recorder;
    }

    /** The cached result for {@code object}, or {@code translate}'s, recorded with the inputs it read. */
    R get(HasMetadata object, Supplier<R> translate) {
        ObjectRef ref = ObjectRef.of(object);
        Object version = InputVersions.version(object);
        Entry<R> entry = entries.get(ref);
        if (entry != null && entry.version().equals(version)) {
            reused++;
            return entry.result();
        }
        if (entry != null) {
            remove(ref);
        }
        Set<String> reads = new HashSet<>();
        Object[] result = new Object[1];
        recorder.recording(reads, () -> result[0] = translate.get());
        @SuppressWarnings("unchecked")
        R r = (R) result[0];
        entries.put(ref, new Entry<>(version, Set.copyOf(reads), r));
        reads.forEach(key -> readers.computeIfAbsent(key, k -> new HashSet<>()).add(ref));
        translated++;
        return r;
    }

    /** Drops the results that read any of {@code changed}. */
    void forget(Set<String> changed) {
        for (String key : changed) {
            Set<ObjectRef> stale = readers.get(key);
            if (stale != null) {
                Set.copyOf(stale).forEach(this::remove);
            }
        }
    }

    /** Drops everything (the options changed). */
    void clear() {
        entries.clear();
        readers.clear();
    }

    /** Drops the results of objects not in {@code present}, so deleted objects do not stay cached. */
    void retain(Set<ObjectRef> present) {
        if (entries.size() > present.size() || !present.containsAll(entries.keySet())) {
            entries.keySet().stream().filter(ref -> !present.contains(ref)).toList().forEach(this::remove);
        }
    }

    /** How many objects were reused and translated since the last call; resets both. */
    TranslationReuse takeCounts() {
        TranslationReuse counts = new TranslationReuse(reused, translated);
        reused = 0;
        translated = 0;
        return counts;
    }

    int size() {
        return entries.size();
    }

    private void remove(ObjectRef ref) {
        Entry<R> entry = entries.remove(ref);
        if (entry == null) {
            return;
        }
        for (String key : entry.reads()) {
            Set<ObjectRef> set = readers.get(key);
            if (set != null) {
                set.remove(ref);
                if (set.isEmpty()) {
                    readers.remove(key);
                }
            }
        }
    }
}
