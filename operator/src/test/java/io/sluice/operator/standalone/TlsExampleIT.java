package io.sluice.operator.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.proxy.NettyDataPlane;
import io.sluice.proxy.config.ProxyConfig;
import io.sluice.proxy.config.ProxyConfigLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/tls} as a user runs it ({@code standalone examples/tls --echo-backends}): HTTPS with the example's
 * test-only certificate for the Ingress host, and the IngressRoute whose TLSOption refuses TLS 1.2.
 */
class TlsExampleIT {
    private static final Path EXAMPLE = Path.of("..", "examples", "tls");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private StandaloneMode mode;
    private int websecure;
    private SSLContext trustingTheExample;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @AfterEach
    void stop() {
        if (mode != null) {
            mode.close();
        }
    }

    private void start() throws Exception {
        String backendPort = String.valueOf(freePort());
        try (Stream<Path> files = Files.list(EXAMPLE)) {
            for (Path f : files.toList()) {
                Files.writeString(dir.resolve(f.getFileName()), Files.readString(f).replace("9111", backendPort));
            }
        }
        websecure = freePort();
        ProxyConfig config = new ProxyConfigLoader().load(new String[] {"--bind-address", "127.0.0.1",
            "--web-port", String.valueOf(freePort()), "--websecure-port", String.valueOf(websecure),
            "--health-port", "0", "--push-port", "0", "--drain-delay", "0s", "--drain-timeout", "1s",
            "--access-log", "false"});
        mode = new StandaloneMode(dir, true, config, new NettyDataPlane(config),
                new PrintStream(output, true, StandardCharsets.UTF_8));
        mode.start();

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("example", exampleCertificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        trustingTheExample = SSLContext.getInstance("TLS");
        trustingTheExample.init(null, trust.getTrustManagers(), null);
    }

    /** The certificate PEM of the example's Secret, read the way a user would copy it out. */
    private static X509Certificate exampleCertificate() throws Exception {
        List<String> lines = Files.readAllLines(EXAMPLE.resolve("20-test-only-tls-secret.yaml"));
        int begin = lines.indexOf("    -----BEGIN CERTIFICATE-----");
        int end = lines.indexOf("    -----END CERTIFICATE-----");
        String pem = lines.subList(begin, end + 1).stream().map(String::strip).collect(Collectors.joining("\n"));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void servesTheIngressOverHttpsWithTheExampleCertificate() throws Exception {
        start();
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("applied version 1.1, 2 routers");

        String response = get("secure.sluice.test", "TLSv1.2");
        assertThat(response).startsWith("HTTP/1.1 200").contains("GET /hello HTTP/1.1", "X-forwarded-proto: https");
        assertThat(get("modern.sluice.test", "TLSv1.3")).startsWith("HTTP/1.1 200");
        assertThatThrownBy(() -> get("modern.sluice.test", "TLSv1.2")).isInstanceOf(IOException.class);
    }

    /** GET /hello over TLS with SNI {@code host}, the JDK verifying the example certificate and host name. */
    private String get(String host, String protocol) throws IOException {
        try (SSLSocket socket = (SSLSocket) trustingTheExample.getSocketFactory().createSocket("127.0.0.1",
                websecure)) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {protocol});
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host)));
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /hello HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
