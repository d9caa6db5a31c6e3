package io.sluice.operator.run;

import io.sluice.operator.push.FleetStatus;
import io.sluice.operator.push.ProxyStatus;
import io.sluice.operator.status.ConditionState;
import io.sluice.operator.status.Conditions;
import io.sluice.operator.translate.ObjectStatus;
import io.sluice.snapshot.SnapshotVersion;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Decides {@code Programmed}: True only when every live proxy acknowledged a snapshot that contains the object's
 * current generation and the object routes as written. An object with a missing reference (a Middleware, a
 * Service) is in the snapshot but its routes fail closed with 503, so it is {@code RefNotResolved}, not
 * programmed. A proxy serving an older snapshot, one that rejected ours ({@code ProxyRejected}), or one
 * we cannot reach does not count; with no proxy at all the answer is {@code NoProxies}, since nothing routes the
 * object.
 */
final class ProgrammedCondition {
    private final FleetStatus fleet;
    private final PublishedVersions versions;

    ProgrammedCondition(FleetStatus fleet, PublishedVersions versions) {
        this.fleet = Objects.requireNonNull(fleet, "fleet");
        this.versions = Objects.requireNonNull(versions, "versions");
    }

    ConditionState of(ObjectStatus status) {
        if (!status.accepted()) {
            return ConditionState.isFalse(Conditions.PROGRAMMED, "NotAccepted",
                    "not in the routing snapshot: see Accepted");
        }
        List<ProxyStatus> proxies = fleet.proxies();
        if (proxies.isEmpty()) {
            return ConditionState.isFalse(Conditions.PROGRAMMED, "NoProxies", "no proxy pod to program");
        }
        int serving = 0;
        int rejecting = 0;
        SnapshotVersion target = fleet.target().orElse(null);
        for (ProxyStatus proxy : proxies) {
            if (proxy.lastRejection() != null && proxy.lastRejection().version().equals(target)) {
                rejecting++;
            }
            OptionalLong generation = versions.generation(proxy.acknowledged(), status.ref());
            if (generation.isPresent() && generation.getAsLong() == status.generation()) {
                serving++;
            }
        }
        if (serving == proxies.size() && !status.resolvedRefs()) {
            return ConditionState.isFalse(Conditions.PROGRAMMED, "RefNotResolved", "all " + serving
                    + " proxies serve generation " + status.generation()
                    + ", but its routes answer 503 until the missing references exist: see ResolvedRefs");
        }
        if (serving == proxies.size()) {
            return ConditionState.isTrue(Conditions.PROGRAMMED, "Programmed",
                    "all " + serving + " proxies serve generation " + status.generation());
        }
        if (rejecting > 0) {
            return ConditionState.isFalse(Conditions.PROGRAMMED, "ProxyRejected", serving + " of " + proxies.size()
                    + " proxies serve generation " + status.generation() + "; " + rejecting
                    + " rejected snapshot " + target);
        }
        return ConditionState.isFalse(Conditions.PROGRAMMED, "Pending",
                serving + " of " + proxies.size() + " proxies serve generation " + status.generation());
    }
}
