package io.sluice.proxy.balancer;

import io.sluice.proxy.upstream.UpstreamEndpoint;
import io.sluice.proxy.upstream.UpstreamSettings;
import io.sluice.snapshot.PassiveHealthCheck;
import io.sluice.snapshot.Strategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * A {@code Service.LoadBalancer}: its strategy over the ready endpoints, falling back to the serving ones
 * (terminating pods still answering) when no endpoint is ready. Endpoints known to be down (an active check
 * failing, or ejected after consecutive failures) get no traffic unless every endpoint is down, in which case
 * all of them are used again. With a sticky cookie, a request whose cookie names a ready endpoint that is not
 * down goes there; any other request is balanced and told (Set-Cookie) which endpoint it got.
 */
public final class LoadBalancedService implements ServiceBalancer {
    private static final BooleanSupplier NO_CHECK = () -> true;
    private static final Predicate<Member> ANY = member -> true;

    /**
     * One endpoint with its conditions in this snapshot.
     *
     * @param activeHealth whether the service's active health check currently passes (always true without one)
     */
    public record Member(UpstreamEndpoint endpoint, int weight, boolean ready, boolean serving,
            BooleanSupplier activeHealth) {
        public Member {
            activeHealth = activeHealth == null ? NO_CHECK : activeHealth;
        }

        /** An endpoint without an active health check. */
        public Member(UpstreamEndpoint endpoint, int weight, boolean ready, boolean serving) {
            this(endpoint, weight, ready, serving, NO_CHECK);
        }

        /** Whether the active check passes (always without one). */
        public boolean activelyHealthy() {
            return activeHealth.getAsBoolean();
        }
    }

    private final String id;
    private final boolean passHostHeader;
    private final UpstreamSettings settings;
    private final Balancer<Member> ready;
    private final Balancer<Member> servingOnly;
    private final StickyCookie sticky;
    private final Map<String, Member> byCookie;
    /** Not known to be down: the active check passes and passive health has not ejected it. */
    private final Predicate<Member> available;

    public LoadBalancedService(
            String id, List<Member> members, Strategy strategy, boolean passHostHeader, UpstreamSettings settings) {
        this(id, members, strategy, passHostHeader, settings, null);
    }

    /** @param sticky null when sessions are not sticky */
    public LoadBalancedService(String id, List<Member> members, Strategy strategy, boolean passHostHeader,
            UpstreamSettings settings, StickyCookie sticky) {
        this(id, members, strategy, passHostHeader, settings, sticky, null);
    }

    /** @param passive null: failed exchanges never take an endpoint out of rotation */
    public LoadBalancedService(String id, List<Member> members, Strategy strategy, boolean passHostHeader,
            UpstreamSettings settings, StickyCookie sticky, PassiveHealthCheck passive) {
        this.id = id;
        if (passive == null) {
            this.available = Member::activelyHealthy;
        } else {
            long window = TimeUnit.MILLISECONDS.toNanos(passive.failureWindowMillis());
            int attempts = passive.maxFailedAttempts();
            this.available = m -> m.activelyHealthy() && !m.endpoint().failing(attempts, window);
        }
        this.passHostHeader = passHostHeader;
        this.settings = settings;
        this.sticky = sticky;
        List<Member> readyMembers = new ArrayList<>();
        List<Member> servingMembers = new ArrayList<>();
        Map<String, Member> cookies = new HashMap<>();
        for (Member member : members) {
            if (member.ready()) {
                readyMembers.add(member);
                if (member.weight() > 0) {
                    cookies.put(StickyCookie.valueFor(member.endpoint().authority()), member);
                }
            } else if (member.serving()) {
                servingMembers.add(member);
            }
        }
        this.ready = strategy(strategy, readyMembers);
        this.servingOnly = strategy(strategy, servingMembers);
        this.byCookie = Map.copyOf(cookies);
    }

    private static Balancer<Member> strategy(Strategy strategy, List<Member> members) {
        ToIntFunction<Member> weight = Member::weight;
        if (strategy == Strategy.P2C) {
            return new LeastOutstandingTwoChoices<>(members, weight, m -> m.endpoint().load());
        }
        return new SmoothWeightedRoundRobin<>(members, weight);
    }

    public String id() {
        return id;
    }

    @Override
    public UpstreamTarget pick(RequestCookies cookies) {
        if (sticky != null) {
            String value = cookies.value(sticky.name());
            Member stuck = value == null ? null : byCookie.get(value);
            if (stuck != null && available.test(stuck)) {
                return target(stuck);
            }
        }
        Member member = ready.pick(available);
        if (member == null) {
            member = servingOnly.pick(available);
        }
        if (member == null) { // every endpoint is down: better to try them than to fail every request
            member = ready.pick(ANY);
        }
        if (member == null) {
            member = servingOnly.pick(ANY);
        }
        if (member == null) {
            return null;
        }
        UpstreamTarget target = target(member);
        if (sticky != null && member.ready()) {
            target = target.withCookie(sticky.setCookie(StickyCookie.valueFor(member.endpoint().authority())));
        }
        return target;
    }

    private UpstreamTarget target(Member member) {
        return new UpstreamTarget(id, member.endpoint(), passHostHeader, settings);
    }
}
