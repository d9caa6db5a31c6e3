package io.sluice.proxy.middleware;

import io.sluice.proxy.config.CidrBlock;
import io.sluice.snapshot.MiddlewareSpec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Traefik's {@code ipStrategy}: decides which address counts as the client's for {@code ipAllowList} and
 * {@code rateLimit}. Without a strategy (or with depth 0 and no exclusions) it is the peer address; with
 * {@code depth N} the N-th address from the right of {@code X-Forwarded-For}; with {@code excludedIPs} the
 * rightmost {@code X-Forwarded-For} address not excluded. {@code X-Forwarded-For} is only read from trusted
 * proxies (see {@link ForwardedRequest#forwardedFor()}), so an untrusted client gets no address from it.
 */
final class ClientAddressStrategy {
    /** IPv4 in full dotted-quad form only: {@code 10.1} or {@code 1.2.3} would be read as other addresses. */
    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private final int depth;
    private final List<CidrBlock> excluded;

    private ClientAddressStrategy(int depth, List<CidrBlock> excluded) {
        this.depth = depth;
        this.excluded = List.copyOf(excluded);
    }

    /**
     * @param spec null means the peer address
     * @throws IllegalArgumentException for a negative depth or an excluded entry that is not an IP or CIDR
     */
    static ClientAddressStrategy of(MiddlewareSpec.IpStrategy spec) {
        if (spec == null) {
            return new ClientAddressStrategy(0, List.of());
        }
        if (spec.depth() < 0) {
            throw new IllegalArgumentException("ipStrategy.depth must not be negative, got " + spec.depth());
        }
        List<CidrBlock> blocks = new ArrayList<>();
        for (String entry : spec.excludedIPs()) {
            blocks.add(parse("ipStrategy.excludedIPs", entry));
        }
        return new ClientAddressStrategy(spec.depth(), blocks);
    }

    static CidrBlock parse(String field, String entry) {
        String address = entry.trim();
        int slash = address.indexOf('/');
        address = slash < 0 ? address : address.substring(0, slash);
        if (address.indexOf(':') < 0 && !DOTTED_QUAD.matcher(address).matches()) {
            throw new IllegalArgumentException(field + ": \"" + entry + "\" is not an IP address or CIDR block");
        }
        try {
            return CidrBlock.parse(entry);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage());
        }
    }

    /** @return the client's address, or null when it cannot be determined (which callers must not admit) */
    InetAddress clientAddress(ForwardedRequest request) {
        if (depth == 0 && excluded.isEmpty()) {
            return request.peer();
        }
        List<String> chain = request.forwardedFor();
        if (depth > 0) {
            return depth > chain.size() ? null : literal(chain.get(chain.size() - depth));
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            InetAddress address = literal(chain.get(i));
            if (address == null) {
                return null;
            }
            if (!isExcluded(address)) {
                return address;
            }
        }
        return null;
    }

    private boolean isExcluded(InetAddress address) {
        for (CidrBlock block : excluded) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Parses an address literal (never DNS); null when it is not one. */
    private static InetAddress literal(String text) {
        if (text.indexOf('/') >= 0) {
            return null;
        }
        try {
            return parse("X-Forwarded-For", text).network();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
