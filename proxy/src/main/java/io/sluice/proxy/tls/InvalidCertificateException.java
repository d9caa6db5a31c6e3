package io.sluice.proxy.tls;

/**
 * A snapshot certificate that cannot be served. The message names the certificate id and the reason; it never
 * carries key material or the cause's message (parsers may quote their input).
 */
public final class InvalidCertificateException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient CertificateProblem problem;

    public InvalidCertificateException(String certificateId, String reason) {
        super("certificate " + certificateId + ": " + reason, null, false, false);
        this.problem = new CertificateProblem(certificateId, reason);
    }

    public CertificateProblem problem() {
        return problem;
    }
}
