package io.sluice.snapshot;

import java.util.List;
import java.util.Map;

/** Null-tolerant defensive copies for the compact constructors of the model (absent in JSON means empty). */
final class Lists {
    private Lists() {
    }

    static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    static <K, V> Map<K, V> copy(Map<K, V> map) {
        return map == null ? Map.of() : Map.copyOf(map);
    }
}
