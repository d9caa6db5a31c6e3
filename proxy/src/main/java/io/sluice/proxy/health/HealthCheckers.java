package io.sluice.proxy.health;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.sluice.snapshot.HealthCheck;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The active health checks of the current snapshot, one per (service, endpoint, check). Compiling a snapshot
 * {@link #prepare}s the checks it needs, reusing the running one when service, endpoint and check are
 * unchanged (so re-applying a snapshot neither duplicates a checker nor forgets an endpoint's state); once the
 * snapshot compiled, {@link #commit} starts the new checks and stops every check the snapshot no longer has.
 */
public final class HealthCheckers {
    private record Key(String serviceId, String address, int port, HealthCheck spec) {
    }

    private final EventLoopGroup loops;
    private final Class<? extends Channel> channelType;
    private final Map<Key, ActiveHealthCheck> running = new ConcurrentHashMap<>();
    private final Map<Key, ActiveHealthCheck> prepared = new HashMap<>();

    /** @param loops the event loops that run the probes; not those of the entrypoints */
    public HealthCheckers(EventLoopGroup loops, Class<? extends Channel> channelType) {
        this.loops = loops;
        this.channelType = channelType;
    }

    /** The check of one endpoint of one service for the snapshot being compiled: the running one if any. */
    public synchronized ActiveHealthCheck prepare(String serviceId, String address, int port, HealthCheck spec) {
        Key key = new Key(serviceId, address, port, spec);
        return prepared.computeIfAbsent(key, k -> {
            ActiveHealthCheck existing = running.get(k);
            return existing != null ? existing
                    : new ActiveHealthCheck(serviceId, address, port, spec, loops.next(), channelType);
        });
    }

    /** The snapshot compiled: run exactly the checks it prepared. */
    public synchronized void commit() {
        Set<Key> keep = Set.copyOf(prepared.keySet());
        running.entrySet().removeIf(entry -> {
            if (keep.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().stop();
            return true;
        });
        prepared.forEach((key, check) -> {
            if (running.putIfAbsent(key, check) == null) {
                check.start();
            }
        });
        prepared.clear();
    }

    /** The snapshot was refused: forget what it prepared; the running checks go on. */
    public synchronized void abandon() {
        prepared.clear();
    }

    /** Stops every check (shutdown). */
    public synchronized void stopAll() {
        running.values().forEach(ActiveHealthCheck::stop);
        running.clear();
    }

    public Collection<ActiveHealthCheck> running() {
        return List.copyOf(running.values());
    }
}
