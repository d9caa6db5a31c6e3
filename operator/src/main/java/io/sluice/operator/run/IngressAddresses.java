package io.sluice.operator.run;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.operator.push.ServiceRef;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where our Ingresses are reachable, for their {@code status.loadBalancer.ingress}: the load balancer addresses
 * of the publish Service ({@code --publish-service}), or fixed addresses ({@code --publish-address}), or nothing
 * (the Ingress status is then left alone).
 */
public final class IngressAddresses implements Supplier<List<IngressLoadBalancerIngress>> {
    private final Supplier<List<IngressLoadBalancerIngress>> source;
    private final boolean configured;

    private IngressAddresses(Supplier<List<IngressLoadBalancerIngress>> source, boolean configured) {
        this.source = source;
        this.configured = configured;
    }

    public static IngressAddresses none() {
        return new IngressAddresses(List::of, false);
    }

    /** Fixed addresses; an entry that looks like an IP goes to {@code ip}, anything else to {@code hostname}. */
    public static IngressAddresses fixed(List<String> addresses) {
        List<IngressLoadBalancerIngress> entries = new ArrayList<>();
        for (String address : addresses) {
            boolean ip = address.matches("[0-9.]+") || address.contains(":");
            entries.add(ip ? new IngressLoadBalancerIngressBuilder().withIp(address).build()
                    : new IngressLoadBalancerIngressBuilder().withHostname(address).build());
        }
        List<IngressLoadBalancerIngress> copy = List.copyOf(entries);
        return new IngressAddresses(() -> copy, true);
    }

    /** The load balancer status of {@code service}, read when asked (a missing Service gives nothing). */
    public static IngressAddresses ofService(KubernetesClient client, ServiceRef service) {
        return new IngressAddresses(() -> {
            Service found = client.services().inNamespace(service.namespace()).withName(service.name()).get();
            if (found == null || found.getStatus() == null || found.getStatus().getLoadBalancer() == null
                    || found.getStatus().getLoadBalancer().getIngress() == null) {
                return List.of();
            }
            List<IngressLoadBalancerIngress> entries = new ArrayList<>();
            for (LoadBalancerIngress entry : found.getStatus().getLoadBalancer().getIngress()) {
                entries.add(new IngressLoadBalancerIngressBuilder().withIp(entry.getIp())
                        .withHostname(entry.getHostname())
                        .build());
            }
            return List.copyOf(entries);
        }, true);
    }

    /** False when there is no source at all: Ingress statuses are then not written. */
    public boolean configured() {
        return configured;
    }

    @Override
    public List<IngressLoadBalancerIngress> get() {
        return source.get();
    }
}
