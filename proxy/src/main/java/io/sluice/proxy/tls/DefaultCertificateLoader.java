package io.sluice.proxy.tls;

import io.sluice.proxy.config.ProxyConfig;
import java.io.IOException;
import java.time.Clock;
import java.util.Objects;

/**
 * Compiles the proxy's own default certificate at start, from {@code --default-certificate-file} and
 * {@code --default-key-file} when given, else self-signed. A broken pair stops the proxy with the reason: serving a
 * different certificate than the one configured would go unnoticed until a client complains.
 */
public final class DefaultCertificateLoader {
    private final CertificateCompiler compiler;

    public DefaultCertificateLoader(CertificateCompiler compiler) {
        this.compiler = Objects.requireNonNull(compiler, "compiler");
    }

    /** @throws IllegalStateException naming the files and what is wrong with them */
    public CompiledCertificate load(ProxyConfig.Tls tls) {
        if (tls.defaultCertificateFile() == null) {
            try {
                return compiler.compile(DefaultCertificate.selfSigned(Clock.systemUTC()));
            } catch (InvalidCertificateException e) {
                throw new IllegalStateException("cannot build the self-signed default certificate: "
                        + e.problem().reason(), e);
            }
        }
        String files = "--default-certificate-file " + tls.defaultCertificateFile() + " / --default-key-file "
                + tls.defaultKeyFile();
        try {
            return compiler.compile(DefaultCertificate.fromFiles(tls.defaultCertificateFile(), tls.defaultKeyFile()));
        } catch (IOException e) {
            throw new IllegalStateException(files + ": cannot read: " + e.getMessage(), e);
        } catch (InvalidCertificateException e) {
            throw new IllegalStateException(files + ": " + e.problem().reason());
        }
    }
}
