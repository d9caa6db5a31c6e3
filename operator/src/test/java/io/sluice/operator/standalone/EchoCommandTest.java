package io.sluice.operator.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class EchoCommandTest {

    @Test
    void servesTheNamedEchoBackendOnTheGivenAddress() throws Exception {
        EchoCommand command = EchoCommand.parse(new String[] {"--name", "whoami", "--port=0", "--bind-address",
            "127.0.0.1"});
        try (EchoBackend backend = command.start()) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.port() + "/api/orders?id=7"))
                            .header("X-Served-By", "sluice").build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Backend")).hasValue("whoami");
            assertThat(response.body()).contains("backend: whoami", "GET /api/orders?id=7 HTTP/1.1",
                    "X-served-by: sluice");
        }
    }

    @Test
    void defaultsToPort8080OnEveryAddress() {
        EchoCommand command = EchoCommand.parse(new String[] {"--name=api"});

        assertThat(command).isEqualTo(new EchoCommand("api", "0.0.0.0", 8080));
    }

    @Test
    void refusesAMissingNameAnUnknownFlagAndABadPort() {
        assertThatThrownBy(() -> EchoCommand.parse(new String[] {"--port", "8080"}))
                .hasMessage("--name is required");
        assertThatThrownBy(() -> EchoCommand.parse(new String[] {"--name", "a", "--colour", "red"}))
                .hasMessage("unknown flag --colour");
        assertThatThrownBy(() -> EchoCommand.parse(new String[] {"--name", "a", "--port", "http"}))
                .hasMessage("--port must be a number, got http");
        assertThatThrownBy(() -> EchoCommand.parse(new String[] {"--name", "a", "--port", "70000"}))
                .hasMessage("--port must be 0-65535, got 70000");
        assertThatThrownBy(() -> EchoCommand.parse(new String[] {"--name"}))
                .hasMessage("--name needs a value");
    }
}
