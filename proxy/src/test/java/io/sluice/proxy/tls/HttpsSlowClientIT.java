package io.sluice.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.sluice.proxy.testing.TricklingClient;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The slowloris guard on {@code websecure}: the connection's deadlines are watched at the socket, in front of
 * TLS, yet the 408 a trickling client gets is an HTTPS answer it can read, not plaintext on a TLS connection.
 */
class HttpsSlowClientIT {
    @AutoClose
    private final LocalTlsProxy proxy = new LocalTlsProxy();

    @Test
    void aTricklingHeadOverTlsGetsAn408ItCanRead() throws Exception {
        proxy.start("--header-read-timeout", "500ms");
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1",
                proxy.websecure())) {
            socket.setSoTimeout(5_000);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            // 40 x 50 ms = 2 s, well past the 500 ms deadline
            TricklingClient.trickle(out, "GET / HTTP/1.1\r\nHost: a\r\nX-Slow: ", 40, 50);
            byte[] answer = socket.getInputStream().readNBytes(12);
            assertThat(new String(answer, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 408");
        }
    }
}
