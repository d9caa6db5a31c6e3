package io.sluice.proxy.balancer;

/**
 * Picks one of a fixed set of candidates for each request. Thread-safe: every event loop picks from the same
 * balancer.
 *
 * @param <T> what is picked (an endpoint, a service)
 */
public interface Balancer<T> {

    /** The candidate for the next request, or null when there is none. */
    T pick();
}
