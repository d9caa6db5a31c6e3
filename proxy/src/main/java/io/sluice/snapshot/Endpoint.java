package io.sluice.snapshot;

import java.util.Objects;

/**
 * One backend address, with the EndpointSlice conditions. The proxy sends traffic to ready endpoints; when none
 * is ready it uses those that are serving but terminating.
 *
 * @param address an IPv4 or IPv6 literal, or a host name (standalone mode)
 * @param weight  relative weight, 1 by default; 0 takes the endpoint out of rotation
 */
public record Endpoint(String address, int port, int weight, boolean ready, boolean serving, boolean terminating) {
    public Endpoint {
        Objects.requireNonNull(address, "address");
    }

    /** A ready, serving endpoint of weight 1. */
    public static Endpoint ready(String address, int port) {
        return new Endpoint(address, port, 1, true, true, false);
    }

    /** {@code address:port}, with brackets around IPv6 literals. */
    public String authority() {
        return address.indexOf(':') >= 0 ? "[" + address + "]:" + port : address + ":" + port;
    }
}
