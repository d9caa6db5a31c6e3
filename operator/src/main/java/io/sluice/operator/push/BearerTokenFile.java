package io.sluice.operator.push;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The shared secret the proxies expect on every push ({@code --push-token-file}). The file is read again for
 * each request (it is a few bytes), so a rotated Secret mounted as a volume takes effect on the next push without
 * a restart. The token itself never appears in {@link #toString()}, logs or exceptions; only the path does.
 */
public final class BearerTokenFile {
    private final Path path;

    public BearerTokenFile(Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    /** The current token, surrounding whitespace removed. */
    public String read() throws IOException {
        String token;
        try {
            token = Files.readString(path, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            // the message of an IOException names the path only, never file contents
            throw new IOException("cannot read push token file " + path + ": " + e.getClass().getSimpleName(), e);
        }
        if (token.isEmpty()) {
            throw new IOException("push token file " + path + " is empty");
        }
        return token;
    }

    @Override
    public String toString() {
        return "BearerTokenFile[" + path + "]";
    }
}
