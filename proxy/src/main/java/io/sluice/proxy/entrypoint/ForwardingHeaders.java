package io.sluice.proxy.entrypoint;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Rewrites request and response heads for forwarding: drops hop-by-hop headers (RFC 9110 section 7.6.1: the
 * fixed list and every header named in {@code Connection}) and sets {@code X-Forwarded-*} and {@code X-Real-IP}
 * from the real peer. Values a client sent are replaced unless the peer is a trusted proxy. Header names are
 * {@link AsciiString} constants: they carry their hash, so the per-request lookups do not recompute it.
 */
final class ForwardingHeaders {
    private static final List<AsciiString> HOP_BY_HOP = List.of(
            HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.TE, HttpHeaderNames.TRAILER,
            HttpHeaderNames.UPGRADE);
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("X-Forwarded-For");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("X-Forwarded-Proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("X-Forwarded-Host");
    private static final AsciiString X_FORWARDED_PORT = AsciiString.cached("X-Forwarded-Port");
    private static final AsciiString X_REAL_IP = AsciiString.cached("X-Real-IP");

    private final TrustedProxies trusted;

    ForwardingHeaders(TrustedProxies trusted) {
        this.trusted = trusted;
    }

    /** The names {@link #addForwarded} sets, for {@link OwnHeaderNames}. */
    static AsciiString[] names() {
        return new AsciiString[] {X_FORWARDED_FOR, X_FORWARDED_PROTO, X_FORWARDED_HOST, X_FORWARDED_PORT, X_REAL_IP};
    }

    /** Removes hop-by-hop headers; {@code Transfer-Encoding} stays, the codec re-frames the body with it. */
    static void removeHopByHop(HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
                for (String name : value.split(",")) {
                    String trimmed = name.trim();
                    if (!trimmed.isEmpty() && !trimmed.equalsIgnoreCase("transfer-encoding")) {
                        headers.remove(trimmed);
                    }
                }
            }
            headers.remove(HttpHeaderNames.CONNECTION);
        }
        for (AsciiString name : HOP_BY_HOP) {
            headers.remove(name);
        }
    }

    /** The client of a connection from {@code remote} to the local {@code localPort}, as the headers need it. */
    ClientPeer peer(InetSocketAddress remote, int localPort) {
        InetAddress address = remote.getAddress();
        return new ClientPeer(address, address.getHostAddress(), trusted.contains(address),
                Integer.toString(localPort));
    }

    void addForwarded(HttpHeaders headers, ClientPeer peer, String scheme) {
        String client = peer.text();
        boolean fromTrusted = peer.trusted();
        String priorFor = headers.get(X_FORWARDED_FOR);
        headers.set(X_FORWARDED_FOR, fromTrusted && priorFor != null ? priorFor + ", " + client : client);
        String host = headers.get(HttpHeaderNames.HOST);
        setUnlessTrusted(headers, fromTrusted, X_FORWARDED_PROTO, scheme);
        if (host != null) {
            setUnlessTrusted(headers, fromTrusted, X_FORWARDED_HOST, host);
        }
        setUnlessTrusted(headers, fromTrusted, X_FORWARDED_PORT, portOf(host, peer.localPort()));
        setUnlessTrusted(headers, fromTrusted, X_REAL_IP, client);
    }

    private static void setUnlessTrusted(HttpHeaders headers, boolean fromTrusted, AsciiString name, String value) {
        if (!fromTrusted || !headers.contains(name)) {
            headers.set(name, value);
        }
    }

    private static String portOf(String host, String localPort) {
        if (host != null) {
            int colon = host.lastIndexOf(':');
            if (colon > 0 && colon > host.lastIndexOf(']')) {
                return host.substring(colon + 1);
            }
        }
        return localPort;
    }
}
