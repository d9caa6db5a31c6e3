package io.sluice.proxy.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * Which TLS implementation the proxy's server contexts use. OpenSSL (BoringSSL through netty-tcnative) when it is
 * on the class path and supports ALPN, otherwise the JDK's. netty-tcnative is not a dependency today, so the
 * detected provider is the JDK's unless someone adds it.
 */
public final class TlsProvider {
    private final SslProvider sslProvider;

    private TlsProvider(SslProvider sslProvider) {
        this.sslProvider = sslProvider;
    }

    /** OpenSSL when available with ALPN, else the JDK. */
    public static TlsProvider detect() {
        boolean openSsl = OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL);
        return new TlsProvider(openSsl ? SslProvider.OPENSSL : SslProvider.JDK);
    }

    /** Always the JDK provider. */
    public static TlsProvider jdk() {
        return new TlsProvider(SslProvider.JDK);
    }

    public SslProvider sslProvider() {
        return sslProvider;
    }

    /** {@code "JDK"} or {@code "OpenSSL <version>"}, for the startup log and the debug endpoint. */
    public String providerName() {
        return sslProvider == SslProvider.JDK ? "JDK" : "OpenSSL " + OpenSsl.versionString();
    }

    @Override
    public String toString() {
        return providerName();
    }
}
