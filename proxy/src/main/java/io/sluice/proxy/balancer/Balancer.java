package io.sluice.proxy.balancer;

import java.util.function.Predicate;

/**
 * Picks one of a fixed set of candidates for each request. Thread-safe: every event loop picks from the same
 * balancer.
 *
 * @param <T> what is picked (an endpoint, a service)
 */
public interface Balancer<T> {

    /** The candidate for the next request, or null when there is none. */
    T pick();

    /**
     * The next candidate among those {@code eligible} accepts (the healthy ones), or null when none is. This
     * default only filters {@link #pick()}; the strategies override it to choose among the eligible ones.
     */
    default T pick(Predicate<? super T> eligible) {
        T picked = pick();
        return picked != null && eligible.test(picked) ? picked : null;
    }
}
