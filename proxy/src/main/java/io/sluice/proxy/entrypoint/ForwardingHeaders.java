package io.sluice.proxy.entrypoint;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Rewrites request and response heads for forwarding: drops hop-by-hop headers (RFC 9110 section 7.6.1: the
 * fixed list and every header named in {@code Connection}) and sets {@code X-Forwarded-*} and {@code X-Real-IP}
 * from the real peer. Values a client sent are replaced unless the peer is a trusted proxy.
 */
final class ForwardingHeaders {
    private static final List<String> HOP_BY_HOP = List.of(
            "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade");

    private final TrustedProxies trusted;

    ForwardingHeaders(TrustedProxies trusted) {
        this.trusted = trusted;
    }

    /** Removes hop-by-hop headers; {@code Transfer-Encoding} stays, the codec re-frames the body with it. */
    static void removeHopByHop(HttpHeaders headers) {
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String name : value.split(",")) {
                String trimmed = name.trim();
                if (!trimmed.isEmpty() && !trimmed.equalsIgnoreCase("transfer-encoding")) {
                    headers.remove(trimmed);
                }
            }
        }
        for (String name : HOP_BY_HOP) {
            headers.remove(name);
        }
    }

    /** Whether forwarding headers from {@code peer} are believed. */
    boolean trusts(InetAddress peer) {
        return trusted.contains(peer);
    }

    void addForwarded(HttpHeaders headers, InetSocketAddress peer, String scheme, int localPort) {
        String client = peer.getAddress().getHostAddress();
        boolean fromTrusted = trusted.contains(peer.getAddress());
        String priorFor = headers.get("X-Forwarded-For");
        headers.set("X-Forwarded-For", fromTrusted && priorFor != null ? priorFor + ", " + client : client);
        String host = headers.get(HttpHeaderNames.HOST);
        setUnlessTrusted(headers, fromTrusted, "X-Forwarded-Proto", scheme);
        if (host != null) {
            setUnlessTrusted(headers, fromTrusted, "X-Forwarded-Host", host);
        }
        setUnlessTrusted(headers, fromTrusted, "X-Forwarded-Port", portOf(host, localPort));
        setUnlessTrusted(headers, fromTrusted, "X-Real-IP", client);
    }

    private static void setUnlessTrusted(HttpHeaders headers, boolean fromTrusted, String name, String value) {
        if (!fromTrusted || !headers.contains(name)) {
            headers.set(name, value);
        }
    }

    private static String portOf(String host, int localPort) {
        if (host != null) {
            int colon = host.lastIndexOf(':');
            if (colon > 0 && colon > host.lastIndexOf(']')) {
                return host.substring(colon + 1);
            }
        }
        return Integer.toString(localPort);
    }
}
