package io.sluice.operator.translate;

import io.fabric8.kubernetes.api.model.Secret;
import io.sluice.snapshot.Certificate;

/** Reads a {@code kubernetes.io/tls} Secret into a snapshot {@link Certificate}, or says why it cannot. */
final class Tls {
    private final SecretLookup secrets;

    Tls(SecretLookup secrets) {
        this.secrets = secrets;
    }

    /** Adds the certificate to the draft and returns its id, or reports a problem and returns null. */
    String certificate(String namespace, String secretName, ObjectRef owner, String field, SnapshotDraft draft) {
        Secret secret = secrets.find(namespace, secretName);
        String where = "TLS Secret " + namespace + "/" + secretName;
        if (secret == null) {
            draft.problem(owner, field, where + " not found");
            return null;
        }
        String crt = secrets.value(secret, "tls.crt");
        String key = secrets.value(secret, "tls.key");
        if (!"kubernetes.io/tls".equals(secret.getType()) || crt == null || key == null
                || !crt.contains("-----BEGIN") || !key.contains("-----BEGIN")) {
            draft.problem(owner, field, where + " is not a kubernetes.io/tls Secret with PEM tls.crt and tls.key");
            return null;
        }
        String id = "secret/" + namespace + "/" + secretName;
        draft.certificate(new Certificate(id, crt, key));
        return id;
    }
}
