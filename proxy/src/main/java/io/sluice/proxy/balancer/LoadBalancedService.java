package io.sluice.proxy.balancer;

import io.sluice.proxy.upstream.UpstreamEndpoint;
import io.sluice.proxy.upstream.UpstreamSettings;
import io.sluice.snapshot.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * A {@code Service.LoadBalancer}: its strategy over the ready endpoints, falling back to the serving ones
 * (terminating pods still answering) when no endpoint is ready.
 */
public final class LoadBalancedService implements ServiceBalancer {

    /** One endpoint with its conditions in this snapshot. */
    public record Member(UpstreamEndpoint endpoint, int weight, boolean ready, boolean serving) {
    }

    private final String id;
    private final boolean passHostHeader;
    private final UpstreamSettings settings;
    private final Balancer<Member> balancer;

    public LoadBalancedService(
            String id, List<Member> members, Strategy strategy, boolean passHostHeader, UpstreamSettings settings) {
        this.id = id;
        this.passHostHeader = passHostHeader;
        this.settings = settings;
        List<Member> ready = new ArrayList<>();
        List<Member> servingOnly = new ArrayList<>();
        for (Member member : members) {
            if (member.ready()) {
                ready.add(member);
            } else if (member.serving()) {
                servingOnly.add(member);
            }
        }
        this.balancer = new FirstAvailable<>(List.of(strategy(strategy, ready), strategy(strategy, servingOnly)));
    }

    private static Balancer<Member> strategy(Strategy strategy, List<Member> members) {
        ToIntFunction<Member> weight = Member::weight;
        if (strategy == Strategy.P2C) {
            return new LeastOutstandingTwoChoices<>(members, weight, m -> m.endpoint().outstanding());
        }
        return new SmoothWeightedRoundRobin<>(members, weight);
    }

    public String id() {
        return id;
    }

    @Override
    public UpstreamTarget pick() {
        Member member = balancer.pick();
        return member == null ? null : new UpstreamTarget(id, member.endpoint(), passHostHeader, settings);
    }
}
