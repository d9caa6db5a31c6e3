package io.sluice.proxy.balancer;

import java.util.List;

/**
 * Tries balancers in order and returns the first pick. Used for readiness: the balancer over ready endpoints
 * first, then the one over serving-but-terminating endpoints, so that a rollout in which every pod is
 * terminating still serves instead of failing.
 */
public final class FirstAvailable<T> implements Balancer<T> {
    private final List<Balancer<T>> tiers;

    public FirstAvailable(List<Balancer<T>> tiers) {
        this.tiers = List.copyOf(tiers);
    }

    @Override
    public T pick() {
        for (Balancer<T> tier : tiers) {
            T picked = tier.pick();
            if (picked != null) {
                return picked;
            }
        }
        return null;
    }
}
