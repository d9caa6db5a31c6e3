package io.sluice.proxy.router;

/**
 * An immutable, compiled routing table. Thread-safe; {@link #match} does not allocate on the hot path beyond
 * what the matchers need.
 *
 * @param <T> what a matched route carries (the data path's compiled route)
 */
public interface CompiledRouter<T> {

    /**
     * The highest-priority route that takes this request on this entrypoint, or null when none does.
     */
    T match(String entryPoint, RequestView request);
}
