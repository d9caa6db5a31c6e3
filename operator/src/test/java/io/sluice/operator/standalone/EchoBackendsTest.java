package io.sluice.operator.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class EchoBackendsTest {

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static EndpointSlice slice(String service, String address, int port) {
        return new EndpointSliceBuilder().withNewMetadata().withName(service + "-x").withNamespace("demo")
                .addToLabels("kubernetes.io/service-name", service).endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint().withAddresses(address).endEndpoint()
                .addNewPort().withName("http").withPort(port).endPort()
                .build();
    }

    @Test
    void startsOneEchoBackendPerLoopbackEndpointAndAnswersWithTheRequest() throws Exception {
        int port = freePort();
        List<HasMetadata> objects = List.of(slice("whoami", "127.0.0.1", port), slice("remote", "10.1.2.3", 80));
        try (EchoBackends backends = new EchoBackends()) {
            assertThat(backends.ensureStarted(objects)).extracting(EchoBackend::name).containsExactly("whoami");
            assertThat(backends.ensureStarted(objects)).isEmpty();

            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello?x=1"))
                            .header("X-Forwarded-For", "192.0.2.1").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Backend")).hasValue("whoami");
            assertThat(response.body()).contains("backend: whoami", "GET /hello?x=1 HTTP/1.1",
                    "X-forwarded-for: 192.0.2.1");
        }
    }
}
