package io.sluice.operator.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS pushes: the proxy's certificate (made with the JDK's keytool, naming a host that is not the IP dialled)
 * is accepted when it chains to the CA file and refused otherwise.
 */
class PushTrustTest {
    @TempDir
    Path dir;

    @Test
    void trustsTheCaFileWithoutCheckingTheHostNameAndNothingElse() throws Exception {
        Path proxyKeys = keyPair("proxy");
        Path proxyCa = exportPem("proxy", proxyKeys);
        Path otherCa = exportPem("other", keyPair("other"));
        Path token = Files.writeString(dir.resolve("token"), "t0ken");

        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext(proxyKeys)));
        server.createContext(ProxyPushClient.VERSION_PATH, exchange -> {
            byte[] body = "{\"version\":\"3.4\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            ProxyAddress proxy = new ProxyAddress("127.0.0.1", server.getAddress().getPort());
            VersionProbe trusted = ProxyPushClient.tls(new BearerTokenFile(token), Duration.ofSeconds(2),
                    Duration.ofSeconds(5), PushTrust.fromCaFile(proxyCa)).currentVersion(proxy)
                    .get(10, TimeUnit.SECONDS);
            assertThat(trusted).isEqualTo(new VersionProbe.Holds(new io.sluice.snapshot.SnapshotVersion(3, 4)));

            VersionProbe untrusted = ProxyPushClient.tls(new BearerTokenFile(token), Duration.ofSeconds(2),
                    Duration.ofSeconds(5), PushTrust.fromCaFile(otherCa)).currentVersion(proxy)
                    .get(10, TimeUnit.SECONDS);
            assertThat(untrusted).isInstanceOf(VersionProbe.Unreachable.class);
        } finally {
            server.stop(0);
        }
    }

    private Path keyPair(String alias) throws Exception {
        Path keystore = dir.resolve(alias + ".p12");
        keytool(List.of("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + alias + ".proxy.invalid", "-ext", "SAN=dns:" + alias + ".proxy.invalid",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit"));
        return keystore;
    }

    private Path exportPem(String alias, Path keystore) throws Exception {
        Path pem = dir.resolve(alias + "-ca.pem");
        keytool(List.of("-exportcert", "-rfc", "-alias", alias, "-keystore", keystore.toString(),
                "-storepass", "changeit", "-file", pem.toString()));
        return pem;
    }

    private static void keytool(List<String> args) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    private static SSLContext serverContext(Path keystore) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }
}
