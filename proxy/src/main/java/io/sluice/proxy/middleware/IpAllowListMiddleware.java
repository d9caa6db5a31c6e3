package io.sluice.proxy.middleware;

import io.sluice.proxy.config.CidrBlock;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Traefik {@code ipAllowList}: answers 403 to clients whose address (chosen by the {@code ipStrategy}) is not in
 * one of the {@code sourceRange} blocks, and to clients whose address cannot be determined.
 */
public final class IpAllowListMiddleware implements HttpMiddleware {
    private final List<CidrBlock> allowed;
    private final ClientAddressStrategy strategy;

    IpAllowListMiddleware(List<CidrBlock> allowed, ClientAddressStrategy strategy) {
        this.allowed = List.copyOf(allowed);
        this.strategy = strategy;
    }

    /**
     * @param sourceRange CIDR blocks or single addresses, IPv4 or IPv6
     * @throws IllegalArgumentException when the list is empty or an entry is not an IP or CIDR
     */
    static IpAllowListMiddleware of(List<String> sourceRange, ClientAddressStrategy strategy) {
        if (sourceRange.isEmpty()) {
            throw new IllegalArgumentException("ipAllowList.sourceRange must not be empty");
        }
        List<CidrBlock> blocks = new ArrayList<>();
        for (String entry : sourceRange) {
            blocks.add(ClientAddressStrategy.parse("ipAllowList.sourceRange", entry));
        }
        return new IpAllowListMiddleware(blocks, strategy);
    }

    @Override
    public Answer onRequest(ForwardedRequest request) {
        InetAddress client = strategy.clientAddress(request);
        if (client != null) {
            for (CidrBlock block : allowed) {
                if (block.contains(client)) {
                    return null;
                }
            }
        }
        return new Answer(403, Map.of(), "Forbidden");
    }
}
