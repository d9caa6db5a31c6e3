package io.sluice.proxy.lifecycle;

import static io.sluice.proxy.testing.TestSnapshots.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.sluice.proxy.admin.BearerTokenFile;
import io.sluice.proxy.admin.HealthServer;
import io.sluice.proxy.admin.PushServer;
import io.sluice.proxy.admin.Readiness;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.SnapshotApplier;
import io.sluice.proxy.testing.TestSnapshots;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shutdown order, against the real push and health listeners: a push whose compile is held on a latch is
 * the request in flight.
 */
class ShutdownSequenceTest {
    @TempDir
    Path dir;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ActiveSnapshot<List<String>> active = new ActiveSnapshot<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final CountDownLatch compiling = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Readiness readiness = new Readiness(() -> true);
    private SnapshotApplier<List<String>> applier;
    private BearerTokenFile token;
    private PushServer push;
    private HealthServer health;

    @BeforeEach
    void start() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        applier = new SnapshotApplier<>(snapshot -> {
            compiling.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of("held");
        }, active, registry, null);
        Files.writeString(dir.resolve("token"), "t");
        token = new BearerTokenFile(dir.resolve("token"), Duration.ofSeconds(10));
        push = new PushServer(new PushServer.Settings(new InetSocketAddress("127.0.0.1", 0), token, null, 1 << 20),
                group, applier);
        health = new HealthServer(new InetSocketAddress("127.0.0.1", 0), group, readiness, registry,
                applier::servingVersion, List::of);
        push.start();
        health.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        push.close();
        health.close();
        token.close();
        applier.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private CompletableFuture<HttpResponse<String>> pushInFlight() throws InterruptedException {
        CompletableFuture<HttpResponse<String>> response = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + push.port() + "/snapshot"))
                        .header("Authorization", "Bearer t")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(json(TestSnapshots.withHost(1, 1, "a.test"))))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(compiling.await(10, TimeUnit.SECONDS)).isTrue();
        return response;
    }

    private int status(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer t").build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static boolean refusesConnections(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void failsReadinessFirstKeepsAcceptingForTheDelayThenWaitsForRequestsInFlight() throws Exception {
        CompletableFuture<HttpResponse<String>> inFlight = pushInFlight();
        ShutdownSequence sequence = new ShutdownSequence(readiness::beginShutdown, Duration.ofMillis(1500),
                List.of(push), Duration.ofSeconds(10), List.of(health));
        CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(sequence::run);

        await().atMost(Duration.ofSeconds(1)).until(() -> status(health.port(), "/ready") == 503);
        assertThat(status(push.port(), "/snapshot/version")).isEqualTo(404);

        await().atMost(Duration.ofSeconds(5)).until(() -> refusesConnections(push.port()));
        assertThat(done).isNotDone();
        assertThat(inFlight).isNotDone();

        release.countDown();
        HttpResponse<String> answered = inFlight.get(5, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.headers().firstValue("connection")).contains("close");
        assertThat(done.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(refusesConnections(health.port())).isTrue();
    }

    @Test
    void givesUpOnRequestsThatOutlastTheDrainTimeout() throws Exception {
        CompletableFuture<HttpResponse<String>> inFlight = pushInFlight();
        ShutdownSequence sequence = new ShutdownSequence(readiness::beginShutdown, Duration.ZERO,
                List.of(push, health), Duration.ofMillis(300), List.of(push, health));

        long start = System.nanoTime();
        assertThat(sequence.run()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThatThrownBy(() -> inFlight.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
    }
}
