package io.sluice.proxy.balancer;

import java.util.List;

/**
 * The mirrors chosen for one request: where copies go, and the largest body that may be copied.
 *
 * @param maxBodySize bytes; a request with a larger body is not mirrored; negative means no limit
 */
public record MirrorPlan(List<UpstreamTarget> targets, long maxBodySize) {
    public MirrorPlan {
        targets = List.copyOf(targets);
    }
}
