package io.sluice.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.sluice.snapshot.Certificate;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RouterTls;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import io.sluice.snapshot.TlsOptions;
import io.sluice.snapshot.TlsOptions.ClientAuth;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real handshakes against an {@code SniHandler} server fed by {@link SnapshotTlsCompiler}: TLS options per host
 * (client certificates, versions, ciphers, sniStrict), the snapshot's default certificate, with both TLS
 * providers the proxy can run.
 */
class TlsOptionsHandshakeIT {
    private static final TestPki PKI = new TestPki();
    private static final TestPki OTHER_PKI = new TestPki();

    private final List<TlsTestServer> servers = new ArrayList<>();

    static Stream<TlsProvider> providers() {
        return Stream.of(TlsProvider.jdk(), TlsProvider.named("openssl"));
    }

    @AfterEach
    void stop() throws Exception {
        for (TlsTestServer server : servers) {
            server.close();
        }
    }

    @Test
    void openSslLoadsFromTheBundledTcnative() {
        assertThat(OpenSsl.isAvailable()).as("netty-tcnative: %s", OpenSsl.unavailabilityCause()).isTrue();
        assertThat(TlsProvider.detect().tag()).isEqualTo("openssl");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void requireAndVerifyClientCertAcceptsOnlyCertificatesFromTheConfiguredCa(TlsProvider provider) throws Exception {
        Certificate server = PKI.leaf("secret/app/mtls").dns("mtls.test").build();
        Certificate open = PKI.leaf("secret/app/open").dns("open.test").build();
        TlsOptions mtls = new TlsOptions("app/mtls", null, null, List.of(), ClientAuth.REQUIRE_AND_VERIFY,
                TestPki.pem(PKI.ca()), false, List.of());
        int port = serve(provider, snapshot(List.of(server, open), List.of(mtls), null,
                router("mtls", "mtls.test", server.id(), "app/mtls"), router("open", "open.test", open.id(), null)));

        Certificate goodClient = PKI.leaf("client/good").commonName("good-client").build();
        Certificate strangerClient = OTHER_PKI.leaf("client/stranger").commonName("stranger").build();

        assertThat(get(port, "mtls.test", goodClient, "TLSv1.3")).isEqualTo(TlsTestServer.BODY);
        assertThat(get(port, "mtls.test", goodClient, "TLSv1.2")).isEqualTo(TlsTestServer.BODY);
        assertThatThrownBy(() -> get(port, "mtls.test", null, "TLSv1.3")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> get(port, "mtls.test", null, "TLSv1.2")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> get(port, "mtls.test", strangerClient, "TLSv1.3")).isInstanceOf(IOException.class);
        // the options belong to mtls.test only
        assertThat(get(port, "open.test", null, "TLSv1.3")).isEqualTo(TlsTestServer.BODY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void verifyClientCertIfGivenAcceptsNoCertificateButRefusesAStranger(TlsProvider provider) throws Exception {
        Certificate server = PKI.leaf("secret/app/opt").dns("opt.test").build();
        TlsOptions optional = new TlsOptions("app/opt", null, null, List.of(), ClientAuth.VERIFY_IF_GIVEN,
                TestPki.pem(PKI.ca()), false, List.of());
        int port = serve(provider, snapshot(List.of(server), List.of(optional), null,
                router("opt", "opt.test", server.id(), "app/opt")));

        assertThat(get(port, "opt.test", null, "TLSv1.3")).isEqualTo(TlsTestServer.BODY);
        assertThat(get(port, "opt.test", PKI.leaf("client/good").build(), "TLSv1.3")).isEqualTo(TlsTestServer.BODY);
        assertThatThrownBy(() -> get(port, "opt.test", OTHER_PKI.leaf("client/x").build(), "TLSv1.2"))
                .isInstanceOf(IOException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void requireAnyClientCertTakesAnyCertificateButNotNone(TlsProvider provider) throws Exception {
        Certificate server = PKI.leaf("secret/app/any").dns("any.test").build();
        TlsOptions any = new TlsOptions("app/any", null, null, List.of(), ClientAuth.REQUIRE_ANY, null, false,
                List.of());
        int port = serve(provider, snapshot(List.of(server), List.of(any), null,
                router("any", "any.test", server.id(), "app/any")));

        assertThat(get(port, "any.test", OTHER_PKI.leaf("client/stranger").build(), "TLSv1.3"))
                .isEqualTo(TlsTestServer.BODY);
        assertThatThrownBy(() -> get(port, "any.test", null, "TLSv1.3")).isInstanceOf(IOException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void minVersionTls13RefusesATls12OnlyClient(TlsProvider provider) throws Exception {
        Certificate server = PKI.leaf("secret/app/modern").dns("modern.test").build();
        TlsOptions modern = new TlsOptions("app/modern", "TLSv1.3", null, List.of(), ClientAuth.NONE, null, false,
                List.of());
        int port = serve(provider, snapshot(List.of(server), List.of(modern), null,
                router("modern", "modern.test", server.id(), "app/modern")));

        assertThat(get(port, "modern.test", null, "TLSv1.3")).isEqualTo(TlsTestServer.BODY);
        assertThatThrownBy(() -> get(port, "modern.test", null, "TLSv1.2")).isInstanceOf(IOException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void cipherSuitesAndMaxVersionAreWhatTheHandshakeNegotiates(TlsProvider provider) throws Exception {
        Certificate server = PKI.leaf("secret/app/legacy").dns("legacy.test").build();
        String suite = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
        TlsOptions legacy = new TlsOptions("app/legacy", null, "TLSv1.2", List.of(suite), ClientAuth.NONE, null,
                false, List.of());
        int port = serve(provider, snapshot(List.of(server), List.of(legacy), null,
                router("legacy", "legacy.test", server.id(), "app/legacy")));

        try (SSLSocket socket = connect(port, "legacy.test", null, "TLSv1.3", "TLSv1.2")) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(socket.getSession().getCipherSuite()).isEqualTo(suite);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void sniStrictDefaultOptionsRefuseUnknownNamesAndNamelessClients(TlsProvider provider) throws Exception {
        Certificate known = PKI.leaf("secret/app/known").dns("known.test").build();
        TlsOptions strict = new TlsOptions(TlsOptions.DEFAULT_ID, null, null, List.of(), ClientAuth.NONE, null, true,
                List.of());
        int port = serve(provider, snapshot(List.of(known), List.of(strict), null,
                router("known", "known.test", known.id(), null)));

        assertThat(get(port, "known.test", null, "TLSv1.3")).isEqualTo(TlsTestServer.BODY);
        assertThatThrownBy(() -> get(port, "unknown.test", null, "TLSv1.3")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> get(port, null, null, "TLSv1.3")).isInstanceOf(IOException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void theSnapshotDefaultCertificateWinsOverTheProxyDefault(TlsProvider provider) throws Exception {
        Certificate wildcard = PKI.leaf("secret/sluice/default-tls").dns("*.corp.test").build();
        int port = serve(provider, snapshot(List.of(wildcard), List.of(), wildcard.id()));

        try (SSLSocket socket = connect(port, "nothing-routes-here.test", null, "TLSv1.3")) {
            assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(TlsTestClient.leafOf(wildcard));
        }
        try (SSLSocket socket = connect(port, null, null, "TLSv1.3")) {
            assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(TlsTestClient.leafOf(wildcard));
        }
    }

    @Test
    void conflictingOptionsForOneHostFallBackToTheDefaultAndAreReported() throws Exception {
        Certificate server = PKI.leaf("secret/app/shared").dns("shared.test").build();
        TlsOptions mtls = new TlsOptions("app/mtls", null, null, List.of(), ClientAuth.REQUIRE_AND_VERIFY,
                TestPki.pem(PKI.ca()), false, List.of());
        TlsOptions modern = new TlsOptions("app/modern", "TLSv1.3", null, List.of(), ClientAuth.NONE, null, false,
                List.of());
        RoutingSnapshot snapshot = snapshot(List.of(server), List.of(mtls, modern), null,
                router("b", "shared.test", server.id(), "app/modern"),
                router("a", "shared.test", server.id(), "app/mtls"),
                router("c", "other.test", server.id(), "app/missing"));
        SnapshotTlsCompiler.Result result = compiler(TlsProvider.jdk()).compile(snapshot);

        assertThat(result.problems()).containsExactlyInAnyOrder(
                "router c: unknown TLS options \"app/missing\"; using the default options",
                "host shared.test: routers name different TLS options {app/modern=[b], app/mtls=[a]};"
                        + " using the default options");
        TlsTestServer server1 = new TlsTestServer(result.certificates());
        servers.add(server1);
        // neither a client certificate nor TLS 1.3 is required: the built-in settings apply
        assertThat(get(server1.port(), "shared.test", null, "TLSv1.2")).isEqualTo(TlsTestServer.BODY);
    }

    @Test
    void optionsWithAnUnreadableCaRefuseHandshakesInsteadOfSkippingTheCheck() throws Exception {
        Certificate server = PKI.leaf("secret/app/mtls").dns("mtls.test").build();
        TlsOptions broken = new TlsOptions("app/mtls", null, null, List.of(), ClientAuth.REQUIRE_AND_VERIFY,
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n", false, List.of());
        SnapshotTlsCompiler.Result result = compiler(TlsProvider.jdk()).compile(snapshot(List.of(server),
                List.of(broken), null, router("mtls", "mtls.test", server.id(), "app/mtls")));

        assertThat(result.problems()).singleElement().asString()
                .startsWith("tlsOptions app/mtls: ").endsWith("; handshakes for its hosts are refused");
        TlsTestServer server1 = new TlsTestServer(result.certificates());
        servers.add(server1);
        assertThatThrownBy(() -> get(server1.port(), "mtls.test", null, "TLSv1.3")).isInstanceOf(IOException.class);
    }

    private static SnapshotTlsCompiler compiler(TlsProvider provider) throws Exception {
        CertificateCompiler certificates = new CertificateCompiler(provider, Clock.systemUTC(),
                List.of("http/1.1"));
        return new SnapshotTlsCompiler(certificates,
                certificates.compile(DefaultCertificate.selfSigned(Clock.systemUTC())), "websecure");
    }

    private int serve(TlsProvider provider, RoutingSnapshot snapshot) throws Exception {
        SnapshotTlsCompiler.Result result = compiler(provider).compile(snapshot);
        assertThat(result.problems()).isEmpty();
        TlsTestServer server = new TlsTestServer(result.certificates());
        servers.add(server);
        return server.port();
    }

    private static Router router(String id, String host, String certificate, String options) {
        return new Router(id, List.of("websecure"), new RouteMatch.Rule("Host(`" + host + "`)"), 0, List.of(), "s",
                new RouterTls(certificate, options));
    }

    private static RoutingSnapshot snapshot(List<Certificate> certificates, List<TlsOptions> options,
            String defaultCertificate, Router... routers) {
        return new RoutingSnapshot(new SnapshotVersion(1, 1), List.of(routers),
                List.of(Service.LoadBalancer.of("s", List.of())), List.of(), certificates, defaultCertificate, options);
    }

    /** Handshakes (presenting {@code clientCertificate} when not null), sends GET / and returns the body. */
    private static String get(int port, String serverName, Certificate clientCertificate, String protocol)
            throws IOException {
        try (SSLSocket socket = connect(port, serverName, clientCertificate, protocol)) {
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed before a response");
                }
                head.append((char) b);
            }
            if (!head.toString().startsWith("HTTP/1.1 200")) {
                throw new IOException("not a 200 response");
            }
            return new String(in.readNBytes(TlsTestServer.BODY.length()), StandardCharsets.US_ASCII);
        }
    }

    private static SSLSocket connect(int port, String serverName, Certificate clientCertificate, String... protocols)
            throws IOException {
        try {
            KeyManagerFactory keys = null;
            if (clientCertificate != null) {
                PemDecoder pem = new PemDecoder("client");
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("client", pem.privateKey(clientCertificate.privateKeyPem()), new char[0],
                        pem.certificates(clientCertificate.certificatePem()).toArray(new X509Certificate[0]));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, new char[0]);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(),
                    InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(protocols);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
