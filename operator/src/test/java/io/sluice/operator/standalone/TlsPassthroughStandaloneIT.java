package io.sluice.operator.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.proxy.NettyDataPlane;
import io.sluice.proxy.config.ProxyConfig;
import io.sluice.proxy.config.ProxyConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An IngressRouteTCP end to end in standalone mode: the YAML a user would apply (as for Traefik, only the
 * apiVersion differs), the real translator, the real proxy and a TLS backend on 127.0.0.1 whose self-signed
 * certificate only the client trusts. The client completes its handshake with the backend through the proxy's
 * {@code websecure} port, so the proxy did not terminate TLS.
 */
class TlsPassthroughStandaloneIT {
    private static final char[] PASSWORD = "test-only".toCharArray();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private KeyStore backendKeys;
    private SSLServerSocket backend;
    private StandaloneMode mode;
    private int websecure;

    @BeforeEach
    void start() throws Exception {
        backendKeys = selfSigned("db.example.com");
        backend = echoBackend(backendKeys);
        Files.writeString(dir.resolve("db.yaml"), """
                apiVersion: v1
                kind: Service
                metadata: {name: db, namespace: demo}
                spec:
                  ports: [{name: tls, port: 443}]
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: db-1
                  namespace: demo
                  labels: {kubernetes.io/service-name: db}
                addressType: IPv4
                endpoints: [{addresses: ["127.0.0.1"]}]
                ports: [{name: tls, port: %d}]
                ---
                apiVersion: sluice.io/v1alpha1
                kind: IngressRouteTCP
                metadata: {name: db, namespace: demo}
                spec:
                  entryPoints: [websecure]
                  routes:
                  - match: HostSNI(`db.example.com`)
                    services:
                    - name: db
                      port: 443
                  tls:
                    passthrough: true
                """.formatted(backend.getLocalPort()));
        websecure = freePort();
        ProxyConfig config = new ProxyConfigLoader().load(new String[] {"--bind-address", "127.0.0.1",
            "--web-port", String.valueOf(freePort()), "--websecure-port", String.valueOf(websecure),
            "--health-port", "0", "--push-port", "0", "--drain-delay", "0s", "--drain-timeout", "1s",
            "--access-log", "false"});
        mode = new StandaloneMode(dir, false, config, new NettyDataPlane(config),
                new PrintStream(output, true, StandardCharsets.UTF_8));
        mode.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (mode != null) {
            mode.close();
        }
        backend.close();
        threads.shutdownNow();
    }

    @Test
    void theClientHandshakesWithTheBackendThroughTheProxy() throws Exception {
        assertThat(output.toString(StandardCharsets.UTF_8)).doesNotContain("problem:");
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(backendKeys);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", websecure)) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName("db.example.com")));
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            X509Certificate peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            assertThat(peer).isEqualTo(backendKeys.getCertificate("backend"));
            socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertThat(new String(socket.getInputStream().readNBytes(5), StandardCharsets.US_ASCII))
                    .isEqualTo("hello");
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

    private SSLServerSocket echoBackend(KeyStore keys) throws Exception {
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    threads.execute(() -> echo(socket));
                } catch (IOException e) {
                    return;
                }
            }
        });
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
