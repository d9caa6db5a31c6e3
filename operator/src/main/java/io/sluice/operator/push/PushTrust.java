package io.sluice.operator.push;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Builds the TLS context for pushes over HTTPS ({@code --push-ca-file}): the proxies' admin certificates must
 * chain to one of the CA certificates in the PEM file.
 *
 * <p>Host names are not checked: proxies are dialled by pod IP, which changes on every restart and is not in
 * their certificates. The CA is therefore the whole authentication and must be dedicated to the push channel
 * (a CA that also signs other certificates would let their holders receive snapshots).
 */
public final class PushTrust {
    private PushTrust() {
    }

    public static SSLContext fromCaFile(Path caPem) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        Collection<? extends Certificate> cas;
        try (InputStream in = Files.newInputStream(caPem)) {
            cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (cas.isEmpty()) {
            throw new GeneralSecurityException("no certificate in push CA file " + caPem);
        }
        int i = 0;
        for (Certificate ca : cas) {
            trusted.setCertificateEntry("push-ca-" + i++, ca);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        X509TrustManager chainCheck = null;
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager) {
                chainCheck = (X509TrustManager) manager;
            }
        }
        if (chainCheck == null) {
            throw new GeneralSecurityException("no X.509 trust manager available");
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new ChainOnlyTrust(chainCheck)}, null);
        return context;
    }

    /**
     * Checks the certificate chain against the CA and nothing else: the engine- and socket-aware overloads,
     * which is where the JDK checks the host name, go to the chain-only check.
     */
    private static final class ChainOnlyTrust extends X509ExtendedTrustManager {
        private final X509TrustManager chainCheck;

        ChainOnlyTrust(X509TrustManager chainCheck) {
            this.chainCheck = chainCheck;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            chainCheck.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            chainCheck.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            chainCheck.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the push client does not accept client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return chainCheck.getAcceptedIssuers();
        }
    }
}
