package io.sluice.proxy.health;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.sluice.proxy.upstream.UpstreamEndpoint;
import io.sluice.proxy.upstream.UpstreamTlsPolicy;
import io.sluice.snapshot.HealthCheck;
import io.sluice.snapshot.PassiveHealthCheck;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The active health checks of the current snapshot, one per (service, endpoint, check). Compiling a snapshot
 * {@link #prepare}s the checks it needs, reusing the running one when service, endpoint and check are
 * unchanged (so re-applying a snapshot neither duplicates a checker nor forgets an endpoint's state); once the
 * snapshot compiled, {@link #commit} starts the new checks and stops every check the snapshot no longer has.
 * It also remembers which endpoints are under a passive health policy, for the ejection gauge.
 */
public final class HealthCheckers {
    /** @param tlsFingerprint the probe's TLS settings; null for cleartext probes */
    private record Key(String serviceId, String address, int port, HealthCheck spec, String tlsFingerprint) {
    }

    /** An endpoint under one service's passive health policy, for the ejection gauge. */
    private record Passive(String serviceId, UpstreamEndpoint endpoint, PassiveHealthCheck policy) {
        boolean ejected() {
            return endpoint.failing(policy.maxFailedAttempts(),
                    TimeUnit.MILLISECONDS.toNanos(policy.failureWindowMillis()));
        }
    }

    private final EventLoopGroup loops;
    private final Class<? extends Channel> channelType;
    private final Map<Key, ActiveHealthCheck> running = new ConcurrentHashMap<>();
    private final Map<Key, ActiveHealthCheck> prepared = new HashMap<>();
    private final Set<Passive> preparedPassive = new HashSet<>();
    private volatile Set<Passive> passive = Set.of();

    /** @param loops the event loops that run the probes; not those of the entrypoints */
    public HealthCheckers(EventLoopGroup loops, Class<? extends Channel> channelType) {
        this.loops = loops;
        this.channelType = channelType;
    }

    /**
     * The check of one endpoint of one service for the snapshot being compiled: the running one if any.
     *
     * @param tls how the probe speaks TLS; null for cleartext probes. A check whose TLS settings changed is a new
     *            check.
     */
    public synchronized ActiveHealthCheck prepare(String serviceId, String address, int port, HealthCheck spec,
            UpstreamTlsPolicy tls) {
        Key key = new Key(serviceId, address, port, spec, tls == null ? null : tls.fingerprint());
        return prepared.computeIfAbsent(key, k -> {
            ActiveHealthCheck existing = running.get(k);
            return existing != null ? existing
                    : new ActiveHealthCheck(serviceId, address, port, spec, tls, loops.next(), channelType);
        });
    }

    /** Records that the snapshot being compiled applies {@code policy} to {@code endpoint}. */
    public synchronized void preparePassive(UpstreamEndpoint endpoint, PassiveHealthCheck policy) {
        preparePassive(null, endpoint, policy);
    }

    /** Records that the snapshot being compiled applies {@code serviceId}'s {@code policy} to {@code endpoint}. */
    public synchronized void preparePassive(String serviceId, UpstreamEndpoint endpoint, PassiveHealthCheck policy) {
        preparedPassive.add(new Passive(serviceId, endpoint, policy));
    }

    /** The snapshot compiled: run exactly the checks it prepared. */
    public synchronized void commit() {
        runPrepared(key -> true);
        passive = Set.copyOf(preparedPassive);
        preparedPassive.clear();
    }

    /**
     * A snapshot that rebuilt only the services {@code serviceIds} compiled: for those services run exactly the
     * checks it prepared (start the new ones, stop those of endpoints that left); leave every other service's
     * checks and passive policies as they are.
     */
    public synchronized void commitServices(Set<String> serviceIds) {
        runPrepared(key -> serviceIds.contains(key.serviceId()));
        Set<Passive> next = new HashSet<>();
        for (Passive p : passive) {
            if (!serviceIds.contains(p.serviceId())) {
                next.add(p);
            }
        }
        next.addAll(preparedPassive);
        passive = Set.copyOf(next);
        preparedPassive.clear();
    }

    /**
     * Among the running checks of {@code inScope}, stops those the new snapshot did not prepare; starts the prepared
     * ones not yet running (a check that runs on keeps its state).
     */
    private void runPrepared(Predicate<Key> inScope) {
        running.entrySet().removeIf(entry -> {
            if (!inScope.test(entry.getKey()) || prepared.containsKey(entry.getKey())) {
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

    /** Endpoints currently out of rotation by the passive health policy of at least one service listing them. */
    public long passivelyEjected() {
        return passive.stream().filter(Passive::ejected).map(Passive::endpoint).distinct().count();
    }

    /** The snapshot was refused: forget what it prepared; the running checks go on. */
    public synchronized void abandon() {
        prepared.clear();
        preparedPassive.clear();
    }

    /** Stops every check (shutdown). */
    public synchronized void stopAll() {
        running.values().forEach(ActiveHealthCheck::stop);
        running.clear();
        passive = Set.of();
    }

    public Collection<ActiveHealthCheck> running() {
        return List.copyOf(running.values());
    }
}
