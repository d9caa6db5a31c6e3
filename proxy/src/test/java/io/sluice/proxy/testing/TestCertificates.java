package io.sluice.proxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Test PKI made with the JDK's {@code keytool}: a CA, a server certificate for 127.0.0.1 and a client
 * certificate it signed, and a self-signed client the CA never saw. Writes the PEM files the proxy reads and
 * builds the {@link SSLContext}s the test clients use.
 */
public final class TestCertificates {
    private static final String PASSWORD = "test-only";

    private final Path dir;
    public final Path caPem;
    public final Path serverChainPem;
    public final Path serverKeyPem;

    private TestCertificates(Path dir) {
        this.dir = dir;
        this.caPem = dir.resolve("ca.pem");
        this.serverChainPem = dir.resolve("server-chain.pem");
        this.serverKeyPem = dir.resolve("server-key.pem");
    }

    public static TestCertificates create(Path dir) throws Exception {
        TestCertificates pki = new TestCertificates(dir);
        pki.keytool("-genkeypair", "-alias", "ca", "-keystore", "ca.p12", "-dname", "CN=sluice-test-ca",
                "-ext", "bc:c");
        pki.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
        pki.signed("server", "CN=127.0.0.1", "san=ip:127.0.0.1", "eku=serverAuth");
        pki.signed("client", "CN=sluice-operator", "eku=clientAuth", "ku=digitalSignature");
        pki.keytool("-genkeypair", "-alias", "rogue", "-keystore", "rogue.p12", "-dname", "CN=rogue");
        Files.writeString(pki.serverChainPem, Files.readString(dir.resolve("server.pem"))
                + Files.readString(pki.caPem));
        Files.writeString(pki.serverKeyPem, pem("PRIVATE KEY", pki.key("server").getEncoded()));
        return pki;
    }

    /** A client that trusts the test CA and presents the CA-signed client certificate. */
    public SSLContext trustedClient() throws Exception {
        return context(clientKeyStore("client", load("client.pem"), load("ca.pem")));
    }

    /** A client that trusts the test CA and presents a self-signed certificate. */
    public SSLContext rogueClient() throws Exception {
        KeyStore rogue = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("rogue.p12"))) {
            rogue.load(in, PASSWORD.toCharArray());
        }
        return context(rogue);
    }

    /** A client that trusts the test CA and presents no certificate. */
    public SSLContext anonymousClient() throws Exception {
        return context(null);
    }

    private void signed(String name, String dname, String... extensions) throws Exception {
        keytool("-genkeypair", "-alias", name, "-keystore", name + ".p12", "-dname", dname);
        keytool("-certreq", "-alias", name, "-keystore", name + ".p12", "-file", name + ".csr");
        List<String> args = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", "ca.p12",
                "-infile", name + ".csr", "-outfile", name + ".pem"));
        for (String ext : extensions) {
            args.add("-ext");
            args.add(ext);
        }
        keytool(args.toArray(String[]::new));
    }

    private KeyStore clientKeyStore(String alias, X509Certificate cert, X509Certificate ca) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(alias, key(alias), PASSWORD.toCharArray(), new Certificate[] {cert, ca});
        return store;
    }

    private SSLContext context(KeyStore keys) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", load("ca.pem"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private PrivateKey key(String alias) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(alias + ".p12"))) {
            store.load(in, PASSWORD.toCharArray());
        }
        return (PrivateKey) store.getKey(alias, PASSWORD.toCharArray());
    }

    private X509Certificate load(String file) throws Exception {
        try (InputStream in = Files.newInputStream(dir.resolve(file))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt"));
        if (args[0].equals("-genkeypair")) {
            command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
        }
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + output);
        }
    }
}
