package io.sluice.proxy.balancer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code Service.Weighted}: splits requests across child services by weight (smooth weighted round robin).
 * When the chosen child has no usable endpoint, the other children are tried in order, so a canary with no
 * ready pod does not fail its share of the traffic. With a sticky cookie, a request whose cookie names a child
 * of non-zero weight that can serve it stays on that child; otherwise the response sets the cookie to the child
 * that served it. The cookies of the children (their own stickiness) are passed through.
 */
public final class WeightedService implements ServiceBalancer {

    /**
     * A child service and its weight.
     *
     * @param id the child's service id, which its sticky cookie value is derived from; null for anonymous
     */
    public record Child(ServiceBalancer service, int weight, String id) {
        /** An anonymous child (not addressable by a sticky cookie). */
        public Child(ServiceBalancer service, int weight) {
            this(service, weight, null);
        }
    }

    private final Balancer<Child> balancer;
    private final List<Child> children;
    private final StickyCookie sticky;
    private final Map<String, Child> byCookie = new HashMap<>();
    private final Map<Child, String> cookieOf = new java.util.IdentityHashMap<>();

    public WeightedService(List<Child> children) {
        this(children, null);
    }

    /** @param sticky null when sessions are not sticky */
    public WeightedService(List<Child> children, StickyCookie sticky) {
        this.children = List.copyOf(children);
        this.balancer = new SmoothWeightedRoundRobin<>(this.children, Child::weight);
        this.sticky = sticky;
        for (int i = 0; i < this.children.size(); i++) {
            Child child = this.children.get(i);
            String value = StickyCookie.valueFor(child.id() == null ? "#" + i : child.id());
            cookieOf.put(child, value);
            if (child.weight() > 0) {
                byCookie.put(value, child);
            }
        }
    }

    @Override
    public UpstreamTarget pick(RequestCookies cookies) {
        if (sticky != null) {
            String value = cookies.value(sticky.name());
            Child stuck = value == null ? null : byCookie.get(value);
            if (stuck != null) {
                UpstreamTarget target = stuck.service().pick(cookies);
                if (target != null) {
                    return target;
                }
            }
        }
        Child chosen = balancer.pick();
        if (chosen == null) {
            return null;
        }
        UpstreamTarget target = chosen.service().pick(cookies);
        if (target != null) {
            return stick(chosen, target);
        }
        List<Child> others = new ArrayList<>(children);
        others.remove(chosen);
        for (Child other : others) {
            if (other.weight() > 0) {
                target = other.service().pick(cookies);
                if (target != null) {
                    return stick(other, target);
                }
            }
        }
        return null;
    }

    private UpstreamTarget stick(Child child, UpstreamTarget target) {
        return sticky == null ? target : target.withCookie(sticky.setCookie(cookieOf.get(child)));
    }
}
