package io.sluice.operator.translate;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds Secrets and decodes their values ({@code data} is base64; {@code stringData}, as a user writes it in a
 * manifest, is read too). Values only ever go into the snapshot, never into a message.
 */
final class SecretLookup {
    private final Map<String, Secret> byKey = new HashMap<>();
    private final ReadRecorder reads;

    SecretLookup(List<Secret> secrets) {
        this(secrets, new ReadRecorder());
    }

    /** @param reads told of each Secret as it is looked up */
    SecretLookup(List<Secret> secrets, ReadRecorder reads) {
        this.reads = reads;
        for (Secret s : secrets) {
            byKey.put(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), s);
        }
    }

    Secret find(String namespace, String name) {
        reads.read(InputVersions.secret(namespace, name));
        return byKey.get(namespace + "/" + name);
    }

    /** The decoded value of {@code key}, or null when absent or not valid base64. */
    String value(Secret secret, String key) {
        if (secret.getData() != null && secret.getData().get(key) != null) {
            try {
                return new String(Base64.getMimeDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return secret.getStringData() == null ? null : secret.getStringData().get(key);
    }
}
