package io.sluice.operator.push;

import java.net.URI;
import java.util.Objects;

/**
 * Where one proxy pod listens for snapshot pushes: a pod IP and the push port. Proxies are addressed by IP
 * because they are discovered from EndpointSlices, not by DNS.
 */
public record ProxyAddress(String ip, int port) implements Comparable<ProxyAddress> {

    public ProxyAddress {
        Objects.requireNonNull(ip, "ip");
        if (ip.isBlank()) {
            throw new IllegalArgumentException("proxy ip must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy port out of range: " + port);
        }
    }

    /** The base URI of the push API on this proxy, with IPv6 addresses in brackets. */
    public URI uri(String scheme, String path) {
        return URI.create(scheme + "://" + hostPort() + path);
    }

    private String hostPort() {
        return ip.indexOf(':') >= 0 ? "[" + ip + "]:" + port : ip + ":" + port;
    }

    @Override
    public int compareTo(ProxyAddress o) {
        int byIp = ip.compareTo(o.ip);
        return byIp != 0 ? byIp : Integer.compare(port, o.port);
    }

    /** {@code ip:port} ({@code [ip]:port} for IPv6), the form used in logs and status. */
    @Override
    public String toString() {
        return hostPort();
    }
}
