package io.sluice.proxy.tls;

import io.sluice.snapshot.Certificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A JDK TLS client that trusts only the given certificates and lets a test choose SNI and ALPN. Each connection
 * gets a fresh {@link SSLContext}: the JDK caches client sessions per host and port, and a resumed session would
 * report the certificate of an earlier handshake.
 */
final class TlsTestClient {
    private final TrustManagerFactory trust;

    TlsTestClient(X509Certificate... trusted) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < trusted.length; i++) {
            store.setCertificateEntry("trusted-" + i, trusted[i]);
        }
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
    }

    static X509Certificate leafOf(Certificate certificate) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(certificate.certificatePem().getBytes(StandardCharsets.US_ASCII)));
    }

    /** Connects and completes the handshake; {@code serverName} null sends no SNI. */
    Connection connect(int port, String serverName, String... alpn) throws IOException {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        parameters.setApplicationProtocols(alpn);
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return new Connection(socket);
    }

    /** One established TLS connection. */
    static final class Connection implements AutoCloseable {
        private final SSLSocket socket;

        private Connection(SSLSocket socket) {
            this.socket = socket;
        }

        X509Certificate peer() throws IOException {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }

        /** The TLS socket, for tests that speak their own protocol over it. */
        SSLSocket socket() {
            return socket;
        }

        String applicationProtocol() {
            return socket.getApplicationProtocol();
        }

        /** Sends {@code GET /} over HTTP/1.1 on this connection and returns the response body. */
        String get() throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            int contentLength = -1;
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    contentLength = Integer.parseInt(line.substring(15).trim());
                }
            }
            if (contentLength < 0) {
                throw new IOException("response without content-length");
            }
            return new String(in.readNBytes(contentLength), StandardCharsets.US_ASCII);
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
