package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.sluice.e2e.support.HttpReply;
import io.sluice.e2e.support.KubeApi;
import io.sluice.e2e.support.ProxyProcess;
import io.sluice.e2e.support.SharedCluster;
import io.sluice.e2e.support.SluiceCluster;
import io.sluice.e2e.support.StatusConditions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The quickstart YAML applied to a cluster as a user applies it, served by the real operator process in cluster
 * mode and two real proxy processes; then the push port's authentication, an EndpointSlice scaled up and down
 * under a continuous request stream, and {@code kubectl delete} of the quickstart.
 */
@Order(1)
@ExtendWith(SharedCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickstartClusterE2E {
    private SluiceCluster cluster;
    private final List<String> applied = new ArrayList<>();
    private int apiPort;

    @BeforeAll
    void applyQuickstart(SluiceCluster cluster) throws Exception {
        this.cluster = cluster;
        cluster.namespace("demo");
        // the quickstart's backends, moved to the host address and ports this test owns (the IngressClass is the
        // chart's, already there)
        int whoami = cluster.backend("demo", "whoami");
        apiPort = cluster.backend("demo", "api");
        long start = System.nanoTime();
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("sluice.examples"), "quickstart"))) {
            for (Path f : files.sorted().filter(f -> !f.getFileName().toString().contains("ingressclass")).toList()) {
                String yaml = Files.readString(f).replace("9101", String.valueOf(whoami))
                        .replace("9102", String.valueOf(apiPort))
                        .replace("\"127.0.0.1\"", "\"" + cluster.hostAddress() + "\"");
                cluster.api().apply(yaml);
                applied.add(yaml);
            }
        }
        cluster.awaitEveryProxy("any.host", "/api/x", Duration.ofSeconds(90), r -> r.summary().equals("200 api"));
        System.out.printf("e2e propagation: quickstart applied -> both proxies serving it in %.2f s%n",
                (System.nanoTime() - start) / 1e9);
    }

    @AfterAll
    void deleteQuickstart() {
        // kubectl delete -f examples/quickstart: its hostless catch-all must not answer for the other classes
        applied.forEach(yaml -> cluster.api().delete(yaml));
        cluster.awaitEveryProxy("any.host", "/hello", "404 -");
    }

    @Test
    @Order(1)
    void bothProxiesServeTheQuickstartAndTheRouteIsProgrammed() {
        for (ProxyProcess proxy : cluster.proxies()) {
            assertThat(proxy.get("any.host", "/hello").summary()).isEqualTo("200 whoami");
            HttpReply api = proxy.get("any.host", "/api/orders");
            assertThat(api.backendPath()).isEqualTo("/orders");
            assertThat(api.backendSawHeader("X-Served-By")).hasValue("sluice");
        }
        KubeApi api = cluster.api();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StatusConditions route = StatusConditions.of(api.sluice("IngressRoute", "demo", "api"));
            assertThat(route.summary("Programmed")).isEqualTo("True Programmed " + route.generation());
            assertThat(route.summary("ResolvedRefs")).isEqualTo("True ResolvedRefs " + route.generation());
        });
    }

    @Test
    @Order(2)
    void aPushWithoutTheTokenIsRefusedAndChangesNothing() throws Exception {
        ProxyProcess proxy = cluster.proxy(0);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI push = URI.create("http://" + cluster.hostAddress() + ":" + proxy.ports().push() + "/snapshot");
        String empty = "{\"version\":{\"epoch\":999999,\"sequence\":1},\"routers\":[],\"services\":[],"
                + "\"middlewares\":[],\"certificates\":[]}";
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(push).PUT(
                HttpRequest.BodyPublishers.ofString(empty)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(push).header("Authorization", "Bearer guess")
                .PUT(HttpRequest.BodyPublishers.ofString(empty)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(proxy.get("any.host", "/api/x").summary()).isEqualTo("200 api");
        assertThat(proxy.snapshotVersion().epoch()).isLessThan(999999);
    }

    @Test
    @Order(3)
    void anEndpointSliceScaledUpAndDownUnderARequestStreamFailsNoRequest() throws Exception {
        ProxyProcess proxy = cluster.proxy(0);
        AtomicBoolean running = new AtomicBoolean(true);
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        Thread stream = new Thread(() -> {
            while (running.get()) {
                seen.merge(proxy.get("any.host", "/api/x").summary(), 1, Integer::sum);
            }
        });
        stream.start();
        try {
            // a second pod of the api Service: another address (127.0.0.2) at the same port (EndpointSlice ports
            // are per slice)
            String second = cluster.secondHostAddress();
            cluster.startBackendAt("api-2", second, apiPort);
            updateApiSlice(slice -> slice.getEndpoints().add(new EndpointBuilder().withAddresses(second)
                    .withNewConditions().withReady(true).endConditions().build()));
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsKey("200 api-2"));
            updateApiSlice(slice -> slice.getEndpoints()
                    .removeIf(e -> e.getAddresses().contains(cluster.hostAddress())));
            await().atMost(Duration.ofSeconds(30)).until(() -> Stream.generate(() -> proxy.get("any.host", "/api/x"))
                    .limit(4).allMatch(r -> r.summary().equals("200 api-2")));
        } finally {
            running.set(false);
            stream.join();
        }
        System.out.println("e2e scale up/down under a request stream: " + seen);
        assertThat(seen.keySet()).as("every request answered by a backend").containsOnly("200 api", "200 api-2");
    }

    private void updateApiSlice(java.util.function.Consumer<EndpointSlice> change) {
        var slices = cluster.api().client().discovery().v1().endpointSlices().inNamespace("demo");
        EndpointSlice slice = slices.withName("api-1").get();
        change.accept(slice);
        slices.resource(slice).update();
    }
}
