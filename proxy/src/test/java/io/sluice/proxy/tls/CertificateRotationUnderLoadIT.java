package io.sluice.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.sluice.proxy.ProxyMain;
import io.sluice.proxy.apply.ApplyResult;
import io.sluice.proxy.testing.TestSnapshots;
import io.sluice.snapshot.Certificate;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RouterTls;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #5's "rotation under load loses no request": while clients keep sending HTTPS requests, on fresh
 * connections and on long-lived keep-alive ones, snapshots that swap a host's certificate back and forth are
 * applied. Every request is answered; fresh handshakes see whichever certificate is current; the keep-alive
 * connections opened before the first rotation are never closed by it.
 */
class CertificateRotationUnderLoadIT {
    private static final String HOST = "rotate.test";

    @TempDir
    Path dir;

    @AutoClose
    final LocalTlsProxy local = new LocalTlsProxy();

    @Test
    void swappingTheCertificateUnderLoadFailsNoRequestAndClosesNoConnection() throws Exception {
        HttpServer backend = local.backend("served");

        TestPki pki = new TestPki();
        Certificate first = pki.leaf("secret/web/rotate-tls").dns(HOST).build();
        Certificate second = pki.leaf("secret/web/rotate-tls").dns(HOST).build();
        BigInteger firstSerial = TlsTestClient.leafOf(first).getSerialNumber();
        BigInteger secondSerial = TlsTestClient.leafOf(second).getSerialNumber();
        assertThat(firstSerial).isNotEqualTo(secondSerial);

        int backendPort = backend.getAddress().getPort();
        ProxyMain.Running proxy = local.start(dir, snapshot(1, first, backendPort));
        int websecure = local.websecure();

        TlsTestClient client = new TlsTestClient(pki.ca());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        List<String> failures = new ArrayList<>();
        Set<BigInteger> seenOnFreshHandshakes = ConcurrentHashMap.newKeySet();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> loops = new ArrayList<>();
        // two clients open a connection per request; two keep one connection for the whole run
        for (int i = 0; i < 2; i++) {
            loops.add(clients.submit(() -> {
                while (running.get()) {
                    try (TlsTestClient.Connection connection = client.connect(websecure, HOST, "http/1.1")) {
                        seenOnFreshHandshakes.add(connection.peer().getSerialNumber());
                        expectServed(connection, answered, failures);
                    } catch (IOException e) {
                        record(failures, "fresh connection: " + e);
                    }
                }
            }));
            loops.add(clients.submit(() -> {
                try (TlsTestClient.Connection connection = client.connect(websecure, HOST, "http/1.1")) {
                    while (running.get()) {
                        expectServed(connection, answered, failures);
                    }
                } catch (IOException e) {
                    record(failures, "keep-alive connection: " + e);
                }
            }));
        }

        // a fixed number of rotations, not a fixed time: on a loaded machine an apply can take seconds
        int rotations = 4;
        for (int i = 0; i < rotations; i++) {
            Certificate next = i % 2 == 0 ? second : first;
            ApplyResult result = proxy.applier()
                    .apply(TestSnapshots.json(snapshot(2 + i, next, backendPort)))
                    .get(60, TimeUnit.SECONDS);
            assertThat(result.outcome()).isEqualTo(ApplyResult.Outcome.APPLIED);
            BigInteger expected = TlsTestClient.leafOf(next).getSerialNumber();
            try (TlsTestClient.Connection probe = client.connect(websecure, HOST, "http/1.1")) {
                assertThat(probe.peer().getSerialNumber()).as("a handshake after apply %d", i).isEqualTo(expected);
            }
            // let the clients work on this certificate for a while: at least 25 more answers
            int target = answered.get() + 25;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (answered.get() < target && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        running.set(false);
        for (Future<?> loop : loops) {
            loop.get(20, TimeUnit.SECONDS);
        }
        clients.shutdown();

        assertThat(failures).as("requests lost while rotating").isEmpty();
        assertThat(answered.get()).as("requests answered during %d rotations", rotations).isGreaterThanOrEqualTo(100);
        assertThat(seenOnFreshHandshakes).as("fresh handshakes saw both certificates")
                .containsExactlyInAnyOrder(firstSerial, secondSerial);
    }

    private static void expectServed(TlsTestClient.Connection connection, AtomicInteger answered,
            List<String> failures) throws IOException {
        String body = connection.get();
        if ("served".equals(body)) {
            answered.incrementAndGet();
        } else {
            record(failures, "unexpected answer: " + body);
        }
    }

    private static void record(List<String> failures, String failure) {
        synchronized (failures) {
            failures.add(failure);
        }
    }

    private static RoutingSnapshot snapshot(long sequence, Certificate certificate, int backendPort) {
        return new RoutingSnapshot(new SnapshotVersion(1, sequence),
                List.of(new Router("rotating", List.of("websecure"), new RouteMatch.Rule("PathPrefix(`/`)"), 0,
                        List.of(), "s1", new RouterTls(certificate.id(), null))),
                List.of(Service.LoadBalancer.of("s1", List.of(Endpoint.ready("127.0.0.1", backendPort)))),
                List.of(), List.of(certificate));
    }
}
