package io.sluice.operator.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ProxyDirectoryTest {
    private static final ServiceRef ADMIN = new ServiceRef("sluice", "proxy-admin");

    KubernetesClient client;

    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private ProxyDirectory directory;

    @AfterEach
    void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    private void startDirectory() {
        directory = new ProxyDirectory(client, ADMIN, new ProxyDirectoryListener() {
            @Override
            public void proxyAdded(ProxyAddress proxy) {
                events.add("+" + proxy);
            }

            @Override
            public void proxyRemoved(ProxyAddress proxy) {
                events.add("-" + proxy);
            }
        });
        directory.start();
    }

    @Test
    void listsExistingProxiesIncludingNotReadyButNotTerminatingOnes() {
        create(slice("proxy-admin-a", "proxy-admin", List.of(port("metrics", 9090), port("push", 9443)))
                .addToEndpoints(endpoint("10.0.0.1", true, false), endpoint("10.0.0.2", false, false),
                        endpoint("10.0.0.3", false, true))
                .build());

        startDirectory();

        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 2);
        assertThat(directory.proxies()).containsExactlyInAnyOrder(
                new ProxyAddress("10.0.0.1", 9443), new ProxyAddress("10.0.0.2", 9443));
        assertThat(events).containsExactly("+10.0.0.1:9443", "+10.0.0.2:9443");
    }

    @Test
    void followsSlicesBeingCreatedChangedAndDeleted() {
        startDirectory();
        assertThat(directory.proxies()).isEmpty();

        create(slice("proxy-admin-a", "proxy-admin", List.of(port(null, 9443)))
                .addToEndpoints(endpoint("10.0.0.1", false, false)).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("+10.0.0.1:9443"));

        client.discovery().v1().endpointSlices().inNamespace("sluice").withName("proxy-admin-a")
                .edit(s -> new EndpointSliceBuilder(s).withEndpoints(endpoint("10.0.0.1", true, false),
                        endpoint("10.0.0.7", false, false)).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("+10.0.0.7:9443"));

        client.discovery().v1().endpointSlices().inNamespace("sluice").withName("proxy-admin-a")
                .edit(s -> new EndpointSliceBuilder(s).withEndpoints(endpoint("10.0.0.7", false, false)).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("-10.0.0.1:9443"));
        assertThat(directory.proxies()).containsExactly(new ProxyAddress("10.0.0.7", 9443));

        client.discovery().v1().endpointSlices().inNamespace("sluice").withName("proxy-admin-a").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("-10.0.0.7:9443"));
        assertThat(directory.proxies()).isEmpty();
        assertThat(events).containsExactly("+10.0.0.1:9443", "+10.0.0.7:9443", "-10.0.0.1:9443", "-10.0.0.7:9443");
    }

    @Test
    void anAddressInTwoSlicesStaysUntilTheLastSliceDropsIt() {
        create(slice("proxy-admin-a", "proxy-admin", List.of(port("push", 9443)))
                .addToEndpoints(endpoint("10.0.0.1", true, false)).build());
        create(slice("proxy-admin-b", "proxy-admin", List.of(port("push", 9443)))
                .addToEndpoints(endpoint("10.0.0.1", true, false), endpoint("10.0.0.2", true, false)).build());
        startDirectory();
        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 2);
        assertThat(events).containsExactly("+10.0.0.1:9443", "+10.0.0.2:9443");

        client.discovery().v1().endpointSlices().inNamespace("sluice").withName("proxy-admin-a").delete();
        client.discovery().v1().endpointSlices().inNamespace("sluice").withName("proxy-admin-b")
                .edit(s -> new EndpointSliceBuilder(s).withEndpoints(endpoint("10.0.0.1", true, false)).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("-10.0.0.2:9443"));
        assertThat(directory.proxies()).containsExactly(new ProxyAddress("10.0.0.1", 9443));
        assertThat(events).doesNotContain("-10.0.0.1:9443");
    }

    @Test
    void ignoresOtherServicesAndSlicesWithoutAUsablePort() {
        create(slice("other-a", "other", List.of(port("push", 9443)))
                .addToEndpoints(endpoint("10.9.9.9", true, false)).build());
        create(slice("proxy-admin-a", "proxy-admin", List.of(port("http", 80), port("https", 443)))
                .addToEndpoints(endpoint("10.0.0.5", true, false)).build());
        startDirectory();

        create(slice("proxy-admin-b", "proxy-admin", List.of(port("push", 9443)))
                .addToEndpoints(endpoint("10.0.0.6", true, false)).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("+10.0.0.6:9443"));
        assertThat(directory.proxies()).isEqualTo(Set.of(new ProxyAddress("10.0.0.6", 9443)));
    }

    @Test
    void formatsIpv6AddressesWithBrackets() {
        ProxyAddress v6 = new ProxyAddress("fd00::5", 9443);
        assertThat(v6).hasToString("[fd00::5]:9443");
        assertThat(v6.uri("https", "/snapshot").toString()).isEqualTo("https://[fd00::5]:9443/snapshot");
    }

    @Test
    void parsesTheServiceFlag() {
        assertThat(ServiceRef.parse("sluice/proxy-admin")).isEqualTo(ADMIN);
        assertThatThrownBy(() -> ServiceRef.parse("proxy-admin")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServiceRef.parse("a/b/c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServiceRef.parse("/b")).isInstanceOf(IllegalArgumentException.class);
    }

    private void create(EndpointSlice slice) {
        client.discovery().v1().endpointSlices().inNamespace("sluice").resource(slice).create();
    }

    private static EndpointSliceBuilder slice(String name, String service, List<EndpointPort> ports) {
        return new EndpointSliceBuilder()
                .withNewMetadata().withName(name).withNamespace("sluice")
                .addToLabels(ProxyDirectory.SERVICE_NAME_LABEL, service).endMetadata()
                .withAddressType("IPv4")
                .withPorts(ports);
    }

    private static EndpointPort port(String name, int number) {
        return new EndpointPortBuilder().withName(name).withPort(number).withProtocol("TCP").build();
    }

    private static io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint(String ip, boolean ready,
            boolean terminating) {
        return new EndpointBuilder().withAddresses(ip)
                .withNewConditions().withReady(ready).withServing(ready || terminating).withTerminating(terminating)
                .endConditions().build();
    }
}
