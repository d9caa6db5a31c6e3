package io.sluice.proxy.tls;

import java.util.List;

/**
 * The outcome of compiling a snapshot's certificates: the usable ones and one problem per broken one.
 *
 * @param certificates the certificates that compiled, in snapshot order
 * @param problems     one entry per certificate left out
 */
public record CompiledCertificates(List<CompiledCertificate> certificates, List<CertificateProblem> problems) {
    public CompiledCertificates {
        certificates = List.copyOf(certificates);
        problems = List.copyOf(problems);
    }
}
