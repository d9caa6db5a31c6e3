package io.sluice.operator.run;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.operator.push.Backoff;
import io.sluice.operator.push.BearerTokenFile;
import io.sluice.operator.push.ProxyPushClient;
import io.sluice.operator.push.PushSettings;
import io.sluice.operator.push.ServiceRef;
import io.sluice.operator.translate.TranslationOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * What the cluster-mode integration tests set up the same way on the fabric8 mock API server (CRUD mode): objects
 * created from YAML, the {@code default/web} Service with one endpoint, in-process proxies registered as endpoints
 * of the proxy admin Service {@code sluice/proxy-admin}, and a leader (informer cache and {@link LeaderSession})
 * with short test timings. One per test; {@link #close()} stops the leader it started.
 */
final class MockClusterFixture implements AutoCloseable {
    static final ServiceRef ADMIN = new ServiceRef("sluice", "proxy-admin");

    private final KubernetesClient client;
    private ClusterCache cache;
    private volatile LeaderSession session;
    private InProcessProxy proxy;

    MockClusterFixture(KubernetesClient client) {
        this.client = client;
    }

    /** Creates the object {@code yaml} describes, like {@code kubectl create}. */
    <T extends HasMetadata> void apply(Class<T> type, String yaml) {
        client.resource(Serialization.unmarshal(yaml, type)).create();
    }

    /** The object {@code default/name} of {@code type} as the API server has it now; null if there is none. */
    <T extends HasMetadata> T stored(Class<T> type, String name) {
        return client.resources(type).inNamespace("default").withName(name).get();
    }

    /** The Service {@code default/web} (port {@code http} 80) with one endpoint, 10.1.0.1:8080. */
    void webService() {
        apply(Service.class, """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: default}
                spec:
                  ports: [{name: http, port: 80}]
                """);
        apply(EndpointSlice.class, """
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: web-a
                  namespace: default
                  labels: {kubernetes.io/service-name: web}
                addressType: IPv4
                ports: [{name: http, port: 8080}]
                endpoints:
                - addresses: ["10.1.0.1"]
                """);
    }

    /** Registers a proxy listening on 127.0.0.1:{@code pushPort} as the EndpointSlice {@code sliceName}. */
    void registerProxy(String sliceName, int pushPort) {
        apply(EndpointSlice.class, """
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: %s
                  namespace: sluice
                  labels: {kubernetes.io/service-name: proxy-admin}
                addressType: IPv4
                ports: [{name: push, port: %d}]
                endpoints:
                - addresses: ["127.0.0.1"]
                """.formatted(sliceName, pushPort));
    }

    /** Starts the informer cache and a leader session at epoch 3 that pushes with the token in {@code tokenFile}. */
    void startLeader(Path tokenFile, IngressAddresses addresses, MeterRegistry registry) {
        RunSettings settings = new RunSettings(ADMIN, TranslationOptions.DEFAULTS, Duration.ofMillis(50),
                Duration.ofMillis(500), Duration.ofMillis(200),
                new PushSettings(new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)), Duration.ofSeconds(1)),
                addresses);
        cache = new ClusterCache(client, List.of(), () -> {
            LeaderSession current = session;
            if (current != null) {
                current.changed();
            }
        });
        cache.start();
        session = LeaderSession.start(client, cache, 3, settings,
                ProxyPushClient.plain(new BearerTokenFile(tokenFile), Duration.ofSeconds(2), Duration.ofSeconds(5)),
                registry, Clock.systemUTC(), () -> { });
    }

    /**
     * The usual start: a push token in {@code dir}, the {@code default/web} Service, one in-process proxy registered
     * as {@code proxy-admin-1}, and the leader. The proxy is closed with this fixture.
     */
    InProcessProxy startWithOneProxy(Path dir, MeterRegistry registry) throws Exception {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "it-token\n");
        webService();
        proxy = new InProcessProxy(tokenFile);
        registerProxy("proxy-admin-1", proxy.pushPort());
        startLeader(tokenFile, IngressAddresses.none(), registry);
        return proxy;
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
        }
        if (cache != null) {
            cache.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }
}
