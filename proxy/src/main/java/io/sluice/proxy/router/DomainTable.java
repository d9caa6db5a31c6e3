package io.sluice.proxy.router;

import java.util.Map;

/**
 * A read-only open-addressing hash table from domain to value that can be probed with the parent domain of a
 * host ({@code example.com} for {@code a.example.com}) without allocating the substring.
 */
final class DomainTable<V> {
    private final String[] keys;
    private final Object[] values;
    private final int mask;

    DomainTable(Map<String, V> entries) {
        int capacity = Integer.highestOneBit(Math.max(2, entries.size() * 2 - 1)) << 1;
        this.keys = new String[capacity];
        this.values = new Object[capacity];
        this.mask = capacity - 1;
        entries.forEach((key, value) -> {
            int slot = hash(key, 0) & mask;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            values[slot] = value;
        });
    }

    /** The value for everything after the first label of {@code host}, or null. */
    @SuppressWarnings("unchecked")
    V getParentDomain(String host) {
        int dot = host.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        int from = dot + 1;
        int length = host.length() - from;
        int slot = hash(host, from) & mask;
        String key;
        while ((key = keys[slot]) != null) {
            if (key.length() == length && host.regionMatches(from, key, 0, length)) {
                return (V) values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    private static int hash(String s, int from) {
        int h = 0;
        for (int i = from; i < s.length(); i++) {
            h = 31 * h + s.charAt(i);
        }
        return h ^ (h >>> 16);
    }
}
