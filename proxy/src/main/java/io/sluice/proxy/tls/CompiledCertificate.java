package io.sluice.proxy.tls;

import io.netty.handler.ssl.SslContext;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot certificate ready to serve: its Netty server context and the server names its leaf certificate
 * covers. Built by {@link CertificateCompiler}; immutable.
 *
 * @param id          the certificate's id in the snapshot
 * @param context     the server context (certificate chain, key, ALPN {@code h2} and {@code http/1.1})
 * @param serverNames lower-case DNS names from the leaf's subjectAltName, or its CN when it has none;
 *                    may contain wildcards such as {@code *.example.com}
 * @param notBefore   start of the leaf's validity
 * @param notAfter    end of the leaf's validity
 * @param source      SHA-256 of the id and both PEM texts, to recognise an unchanged certificate in the next
 *                    snapshot; not shown by {@link #toString()}
 * @param key         the private key, to build contexts with other TLS options; null when unknown (then only
 *                    {@code context} can be served); never shown by {@link #toString()}
 * @param chain       the certificate chain, leaf first; empty when {@code key} is null
 */
public record CompiledCertificate(String id, SslContext context, List<String> serverNames, Instant notBefore,
                                  Instant notAfter, String source, PrivateKey key, List<X509Certificate> chain) {
    public CompiledCertificate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(context, "context");
        serverNames = List.copyOf(serverNames);
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(source, "source");
        chain = chain == null ? List.of() : List.copyOf(chain);
    }

    /** A certificate whose context cannot be rebuilt with other TLS options. */
    public CompiledCertificate(String id, SslContext context, List<String> serverNames, Instant notBefore,
            Instant notAfter, String source) {
        this(id, context, serverNames, notBefore, notAfter, source, null, List.of());
    }

    /** Whether the leaf is valid at {@code now}. */
    public boolean isValidAt(Instant now) {
        return !now.isBefore(notBefore) && !now.isAfter(notAfter);
    }

    @Override
    public String toString() {
        return "CompiledCertificate[id=" + id + ", serverNames=" + serverNames + ", notAfter=" + notAfter + "]";
    }
}
