package io.sluice.proxy.tls;

import java.util.Objects;

/**
 * Why one snapshot certificate could not be used. The reason names what is wrong, never key material, so it is
 * safe to log and to report in a status.
 *
 * @param certificateId the certificate's id in the snapshot, for example {@code secret/default/web-tls}
 * @param reason        what is wrong, in words
 */
public record CertificateProblem(String certificateId, String reason) {
    public CertificateProblem {
        Objects.requireNonNull(certificateId, "certificateId");
        Objects.requireNonNull(reason, "reason");
    }
}
