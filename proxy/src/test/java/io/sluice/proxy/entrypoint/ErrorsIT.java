package io.sluice.proxy.entrypoint;

import static io.sluice.proxy.entrypoint.ProxyFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.Middleware;
import io.sluice.snapshot.MiddlewareSpec;
import io.sluice.snapshot.Service;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * errors through the real proxy: backend responses with a listed status are replaced by a page from the error
 * service under the original status; other responses pass; an unreachable error service still gives the client
 * the original status.
 */
class ErrorsIT {
    private HttpServer backend;
    private HttpServer pages;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.setExecutor(Executors.newFixedThreadPool(4));
        backend.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            int status = path.endsWith("/missing") ? 404 : path.endsWith("/boom") ? 503
                    : path.endsWith("/teapot") ? 418 : 200;
            reply(exchange, status, "text/plain", "backend says " + status + " " + "x".repeat(20_000));
        });
        backend.start();
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.setExecutor(Executors.newFixedThreadPool(2));
        pages.createContext("/errors/", exchange -> reply(exchange, 200, "text/html",
                "<h1>page " + exchange.getRequestURI().getPath() + " for " + exchange.getRequestURI().getQuery()
                        + "</h1>"));
        pages.start();
        proxy = new ProxyFixture();
        proxy.install(List.of(route("site", "PathPrefix(`/site`)", "svc", "pretty-errors"),
                        route("broken", "PathPrefix(`/broken`)", "svc", "errors-to-nowhere")),
                List.of(Service.LoadBalancer.of("svc",
                                List.of(Endpoint.ready("127.0.0.1", backend.getAddress().getPort()))),
                        Service.LoadBalancer.of("pages",
                                List.of(Endpoint.ready("127.0.0.1", pages.getAddress().getPort()))),
                        Service.LoadBalancer.of("nowhere",
                                List.of(Endpoint.ready("127.0.0.1", ScriptedBackend.refusingPort())))),
                List.of(new Middleware("pretty-errors", new MiddlewareSpec.Errors(List.of("500-599", "404"),
                                "pages", "/errors/{status}.html?from={url}")),
                        new Middleware("errors-to-nowhere", new MiddlewareSpec.Errors(List.of("404"),
                                "nowhere", "/{status}"))));
    }

    @AfterEach
    void stop() {
        proxy.close();
        backend.stop(0);
        pages.stop(0);
    }

    private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void listedStatusesGetTheErrorPageUnderTheOriginalStatus() throws Exception {
        for (int round = 0; round < 3; round++) { // keep-alive connections stay usable after a replaced response
            HttpResponse<String> missing = proxy.get("/site/missing?q=1");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).isEqualTo("<h1>page /errors/404.html for from=/site/missing?q=1</h1>");
            assertThat(missing.headers().firstValue("Content-Type")).hasValue("text/html");

            HttpResponse<String> boom = proxy.get("/site/boom");
            assertThat(boom.statusCode()).isEqualTo(503);
            assertThat(boom.body()).startsWith("<h1>page /errors/503.html");

            HttpResponse<String> teapot = proxy.get("/site/teapot");
            assertThat(teapot.statusCode()).isEqualTo(418);
            assertThat(teapot.body()).startsWith("backend says 418");

            HttpResponse<String> ok = proxy.get("/site/ok");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).startsWith("backend says 200");
        }
    }

    @Test
    void failingErrorServiceStillGivesTheOriginalStatus() throws Exception {
        HttpResponse<String> missing = proxy.get("/broken/missing");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("Not Found\n");
        assertThat(proxy.get("/broken/ok").statusCode()).isEqualTo(200);
    }
}
