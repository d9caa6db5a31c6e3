package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.e2e.support.SharedCluster;
import io.sluice.e2e.support.SluiceCluster;
import io.sluice.e2e.support.StatusConditions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS passthrough as a user applies it: an {@code IngressRouteTCP} (Traefik's fields) for a TLS backend whose
 * self-signed certificate only the client trusts. Through each proxy's {@code websecure} port the client completes
 * its handshake with the backend itself, and the object reports {@code Programmed=True}.
 */
@Order(7)
@ExtendWith(SharedCluster.class)
class TlsPassthroughE2E {
    private static final String HOST = "db.passthrough.e2e";
    private static final char[] PASSWORD = "test-only".toCharArray();

    @TempDir
    Path dir;

    @Test
    void connectionsReachTheBackendStillEncrypted(SluiceCluster cluster) throws Exception {
        KeyStore keys = selfSigned(HOST);
        try (SSLServerSocket backend = echoBackend(keys)) {
            cluster.namespace("passthrough");
            cluster.api().apply("""
                    apiVersion: v1
                    kind: Service
                    metadata: {name: db, namespace: passthrough}
                    spec:
                      ports: [{name: tls, port: 443, targetPort: %1$d}]
                    ---
                    apiVersion: discovery.k8s.io/v1
                    kind: EndpointSlice
                    metadata:
                      name: db-1
                      namespace: passthrough
                      labels: {kubernetes.io/service-name: db}
                    addressType: IPv4
                    endpoints: [{addresses: ["127.0.0.1"], conditions: {ready: true}}]
                    ports: [{name: tls, port: %1$d}]
                    ---
                    apiVersion: sluice.io/v1alpha1
                    kind: IngressRouteTCP
                    metadata: {name: db, namespace: passthrough}
                    spec:
                      entryPoints: [websecure]
                      routes:
                      - match: HostSNI(`%2$s`)
                        services:
                        - name: db
                          port: 443
                      tls:
                        passthrough: true
                    """.formatted(backend.getLocalPort(), HOST));

            org.awaitility.Awaitility.await("IngressRouteTCP programmed").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(StatusConditions.of(
                            cluster.api().sluice("IngressRouteTCP", "passthrough", "db")).summary("Programmed"))
                            .startsWith("True Programmed"));
            for (var proxy : cluster.proxies()) {
                assertThat(echoThrough(proxy.ports().websecure(), keys, "hello " + proxy.name()))
                        .isEqualTo("hello " + proxy.name());
            }
        }
    }

    /** Handshakes by SNI through the proxy, verifying the backend's certificate, and echoes {@code text}. */
    private static String echoThrough(int port, KeyStore trusted, String text) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(HOST)));
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readNBytes(bytes.length), StandardCharsets.UTF_8);
        }
    }

    /** A PKCS12 store with a self-signed certificate for {@code host}, made by the JDK's keytool. */
    private KeyStore selfSigned(String host) throws Exception {
        Path file = dir.resolve("backend.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "backend", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=" + host, "-ext", "san=dns:" + host, "-validity", "2", "-storetype", "PKCS12", "-keystore",
                file.toString(), "-storepass", new String(PASSWORD)).redirectErrorStream(true).start();
        String log = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(log).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    /** A TLS server on 127.0.0.1 with {@code keys} that echoes every byte, one daemon thread per connection. */
    private static SSLServerSocket echoBackend(KeyStore keys) throws Exception {
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread echo = new Thread(() -> echo(socket), "passthrough-echo");
                    echo.setDaemon(true);
                    echo.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "passthrough-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    private static void echo(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        }
    }
}
