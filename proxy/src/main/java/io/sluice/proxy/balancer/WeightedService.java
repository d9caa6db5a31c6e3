package io.sluice.proxy.balancer;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code Service.Weighted}: splits requests across child services by weight (smooth weighted round robin).
 * When the chosen child has no usable endpoint, the other children are tried in order, so a canary with no
 * ready pod does not fail its share of the traffic.
 */
public final class WeightedService implements ServiceBalancer {

    /** A child service and its weight. */
    public record Child(ServiceBalancer service, int weight) {
    }

    private final Balancer<Child> balancer;
    private final List<Child> children;

    public WeightedService(List<Child> children) {
        this.children = List.copyOf(children);
        this.balancer = new SmoothWeightedRoundRobin<>(this.children, Child::weight);
    }

    @Override
    public UpstreamTarget pick() {
        Child chosen = balancer.pick();
        if (chosen == null) {
            return null;
        }
        UpstreamTarget target = chosen.service().pick();
        if (target != null) {
            return target;
        }
        List<Child> others = new ArrayList<>(children);
        others.remove(chosen);
        for (Child other : others) {
            if (other.weight() > 0) {
                target = other.service().pick();
                if (target != null) {
                    return target;
                }
            }
        }
        return null;
    }
}
