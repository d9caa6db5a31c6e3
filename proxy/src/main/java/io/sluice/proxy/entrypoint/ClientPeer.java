package io.sluice.proxy.entrypoint;

import java.net.InetAddress;

/**
 * What the forwarding headers and the routing need to know about a connection's client, worked out once per
 * connection (or HTTP/2 stream) by {@link ForwardingHeaders#peer} instead of once per request: its address, that
 * address as text ({@code X-Forwarded-For}, {@code X-Real-IP}), whether it is a trusted proxy, and the local port
 * it connected to as text ({@code X-Forwarded-Port} when the Host header names none).
 */
record ClientPeer(InetAddress address, String text, boolean trusted, String localPort) {
}
