package io.sluice.operator.push;

/**
 * Told when a proxy pod appears in or disappears from the proxy admin Service. Calls come from one thread, in
 * order, and only for real changes (an address is added once, removed once).
 */
public interface ProxyDirectoryListener {

    void proxyAdded(ProxyAddress proxy);

    void proxyRemoved(ProxyAddress proxy);
}
