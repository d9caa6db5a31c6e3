package io.sluice.proxy.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * Which TLS implementation the proxy's server contexts use. OpenSSL (BoringSSL through netty-tcnative) when it is
 * on the class path and supports ALPN (the proxy ships netty-tcnative-boringssl-static for linux-x86_64), otherwise
 * the JDK's; {@code --tls-provider} can force either.
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

    /**
     * The provider the {@code --tls-provider} flag names: {@code auto} ({@link #detect()}), {@code openssl}
     * (refuses when netty-tcnative does not load) or {@code jdk}.
     */
    public static TlsProvider named(String choice) {
        switch (choice) {
            case "auto":
                return detect();
            case "jdk":
                return jdk();
            case "openssl":
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("--tls-provider openssl: netty-tcnative does not load here: "
                            + OpenSsl.unavailabilityCause());
                }
                return new TlsProvider(SslProvider.OPENSSL);
            default:
                throw new IllegalArgumentException("unknown TLS provider " + choice);
        }
    }

    /** {@code openssl} or {@code jdk}, the value of the {@code provider} tag of {@code sluice_tls_provider_info}. */
    public String tag() {
        return sslProvider == SslProvider.JDK ? "jdk" : "openssl";
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
