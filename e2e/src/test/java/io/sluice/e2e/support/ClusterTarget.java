package io.sluice.e2e.support;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the suite runs, read from system properties once per run. By default: the fabric8 mock API server and
 * every listener and EndpointSlice address on 127.0.0.1. With {@code -Dsluice.e2e.kubeconfig=FILE}: an existing
 * API server (a kind cluster's, for instance), which refuses loopback addresses in EndpointSlices, so the local
 * proxies and backends then listen on, and are published at, {@code -Dsluice.e2e.hostAddress} (an IPv4 address of
 * this machine that is not loopback). The scale-up case needs a second address of this machine for a second
 * "pod" of the same Service: {@code -Dsluice.e2e.secondHostAddress}.
 *
 * @param kubeconfig        empty: start the mock API server
 * @param hostAddress       address every local listener binds and every EndpointSlice names
 * @param secondHostAddress another address of this machine, for a second endpoint at the same port
 */
public record ClusterTarget(Optional<Path> kubeconfig, String hostAddress, String secondHostAddress) {
    public static final String KUBECONFIG = "sluice.e2e.kubeconfig";
    public static final String HOST_ADDRESS = "sluice.e2e.hostAddress";
    public static final String SECOND_HOST_ADDRESS = "sluice.e2e.secondHostAddress";

    public ClusterTarget {
        Objects.requireNonNull(kubeconfig, "kubeconfig");
        Objects.requireNonNull(hostAddress, "hostAddress");
        Objects.requireNonNull(secondHostAddress, "secondHostAddress");
        if (hostAddress.equals(secondHostAddress)) {
            throw new IllegalArgumentException("the second host address must differ from " + hostAddress);
        }
    }

    /** The target the system properties describe; checks that the addresses belong to this machine. */
    public static ClusterTarget fromSystemProperties() {
        Optional<Path> kubeconfig = Optional.ofNullable(System.getProperty(KUBECONFIG)).filter(s -> !s.isBlank())
                .map(Path::of);
        kubeconfig.ifPresent(file -> {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException(KUBECONFIG + ": cannot read " + file);
            }
        });
        String host = System.getProperty(HOST_ADDRESS, "127.0.0.1").trim();
        String second = System.getProperty(SECOND_HOST_ADDRESS, "").trim();
        if (second.isEmpty()) {
            second = host.equals("127.0.0.1") ? "127.0.0.2" : "127.0.0.2".equals(host) ? "127.0.0.1" : "";
        }
        if (second.isEmpty()) {
            throw new IllegalArgumentException(SECOND_HOST_ADDRESS + " is required with " + HOST_ADDRESS + "="
                    + host + ": another IPv4 address of this machine (a second endpoint of one Service)");
        }
        requireLocal(HOST_ADDRESS, host);
        requireLocal(SECOND_HOST_ADDRESS, second);
        if (kubeconfig.isPresent() && (isLoopback(host) || isLoopback(second))) {
            throw new IllegalArgumentException("a real API server refuses loopback EndpointSlice addresses: give "
                    + HOST_ADDRESS + " and " + SECOND_HOST_ADDRESS + " (IPv4 addresses of this machine, not 127.x)"
                    + " with " + KUBECONFIG);
        }
        return new ClusterTarget(kubeconfig, host, second);
    }

    private static void requireLocal(String property, String address) {
        try {
            InetAddress ip = InetAddress.getByName(address);
            if (!(ip instanceof Inet4Address)) {
                throw new IllegalArgumentException(property + ": " + address + " is not an IPv4 address");
            }
            if (ip.isLoopbackAddress()) {
                return; // all of 127.0.0.0/8 is local on Linux
            }
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (Collections.list(nic.getInetAddresses()).contains(ip)) {
                    return;
                }
            }
            throw new IllegalArgumentException(property + ": " + address + " is not an address of this machine");
        } catch (UnknownHostException | SocketException e) {
            throw new IllegalArgumentException(property + ": " + address + ": " + e.getMessage(), e);
        }
    }

    private static boolean isLoopback(String address) {
        return address.startsWith("127.");
    }

    /** True for an existing cluster, where the suite must clean up what it created. */
    public boolean existingCluster() {
        return kubeconfig.isPresent();
    }
}
