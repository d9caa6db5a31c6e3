package io.sluice.operator.translate;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.Service;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Canary Ingresses, as ingress-nginx users know them: an Ingress marked {@code sluice.io/canary: "true"} with
 * {@code sluice.io/canary.weight: "<0-100>"} takes that percentage of the traffic of the main Ingress router
 * with the same host, path type and path. The main router keeps its id, entrypoints, middlewares and TLS; only
 * its service becomes a weighted one over the main backend and the canary's. This is a step across objects, run
 * after every Ingress has been translated on its own and conflicts between main Ingresses are settled: canaries
 * never take part in those conflicts, so a canary never wins against its main Ingress. A canary path without a
 * main router is reported on the canary and not served; so is a second canary for the same path (the first in
 * the translator's order, oldest first, keeps it).
 */
final class IngressCanaries {

    /** One path of a canary Ingress: what it claims and the backend service it would send its share to. */
    record Canary(Ingress ingress, String claim, String field, String service, int weight) {
    }

    /** The router that won a claim, and the Ingress it belongs to. */
    record Main(Ingress ingress, Router router) {
    }

    /**
     * Joins each canary path to its main router, replacing that router (same id) and adding the weighted
     * service to the draft; reports every path it cannot join on the canary Ingress.
     *
     * @param canaries the canary paths, in the translator's order (oldest Ingress first)
     * @param mains    the main router that won each claim
     * @return for each canary Ingress that has paths, the ids of the main routers it now takes a share of
     */
    Map<Ingress, List<String>> join(List<Canary> canaries, Map<String, Main> mains, SnapshotDraft draft) {
        Map<Ingress, List<String>> joined = new LinkedHashMap<>();
        Map<String, Ingress> taken = new LinkedHashMap<>();
        for (Canary canary : canaries) {
            List<String> routers = joined.computeIfAbsent(canary.ingress(), i -> new ArrayList<>());
            ObjectRef ref = ObjectRef.of(canary.ingress());
            Main main = mains.get(canary.claim());
            if (main == null) {
                draft.problem(ref, canary.field(), "canary without a main Ingress for the same host, path type and"
                        + " path; not served");
                continue;
            }
            String mainName = main.ingress().getMetadata().getNamespace() + "/"
                    + main.ingress().getMetadata().getName();
            if (main.router().service().equals(SnapshotDraft.UNAVAILABLE_SERVICE)) {
                draft.problem(ref, canary.field(), "the main router " + main.router().id() + " (Ingress " + mainName
                        + ") fails closed, see its status; canary not served");
                continue;
            }
            Ingress first = taken.putIfAbsent(canary.claim(), canary.ingress());
            if (first != null) {
                draft.problem(ref, canary.field(), "another canary (Ingress " + first.getMetadata().getNamespace()
                        + "/" + first.getMetadata().getName() + ") already splits " + main.router().id()
                        + "; not served");
                continue;
            }
            Router router = main.router();
            String weightedId = router.id() + "/canary";
            draft.service(new Service.Weighted(weightedId, List.of(
                    new Service.WeightedTarget(router.service(), 100 - canary.weight()),
                    new Service.WeightedTarget(canary.service(), canary.weight())), null));
            draft.router(new Router(router.id(), router.entryPoints(), router.match(), router.priority(),
                    router.middlewares(), weightedId, router.tls()));
            routers.add(router.id());
        }
        return joined;
    }
}
