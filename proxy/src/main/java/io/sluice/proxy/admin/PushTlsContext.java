package io.sluice.proxy.admin;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The push port's TLS settings: the server certificate chain and key (PEM files), and optionally a CA whose
 * client certificates are the only ones let in (mutual TLS). Built with the JDK provider so no native library
 * is needed.
 *
 * @param clientCa null to accept clients without certificates (the bearer token then authenticates them)
 */
public record PushTlsContext(Path certificateChain, Path privateKey, Path clientCa) {

    public PushTlsContext {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    public boolean requiresClientCertificate() {
        return clientCa != null;
    }

    /** Reads the PEM files; the message names the file that could not be used, never its contents. */
    public SslContext build() throws IOException {
        try {
            SslContextBuilder builder = SslContextBuilder
                    .forServer(certificateChain.toFile(), privateKey.toFile())
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2");
            if (clientCa != null) {
                builder.trustManager(clientCa.toFile()).clientAuth(ClientAuth.REQUIRE);
            }
            return builder.build();
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot load push TLS material (certificate " + certificateChain + ", key "
                    + privateKey + (clientCa == null ? "" : ", client CA " + clientCa) + "): "
                    + e.getClass().getSimpleName(), e);
        }
    }
}
