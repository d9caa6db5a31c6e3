package io.sluice.proxy.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push port's shared secret, read from a mounted file (a Kubernetes Secret volume) and re-read on a short
 * interval so that a rotated token takes effect without a restart. Only a SHA-256 digest of the token is kept,
 * and a presented token is compared digest to digest with {@link MessageDigest#isEqual}, so the comparison takes
 * the same time whatever the token and its length. The token never appears in logs or exceptions.
 */
public final class BearerTokenFile implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BearerTokenFile.class);
    private static final String SCHEME = "bearer ";

    private final Path path;
    private final ScheduledExecutorService reloader;
    /** Digest of the current token; null when the file is missing or empty (then every request is refused). */
    private volatile byte[] tokenDigest;

    /**
     * Reads the file now and then every {@code reloadInterval}.
     */
    public BearerTokenFile(Path path, Duration reloadInterval) {
        this.path = Objects.requireNonNull(path, "path");
        this.tokenDigest = readDigest();
        if (tokenDigest == null) {
            log.warn("push token file {} is missing or empty: push requests are refused until it has a token", path);
        }
        this.reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-push-token-reload");
            t.setDaemon(true);
            return t;
        });
        long millis = reloadInterval.toMillis();
        reloader.scheduleWithFixedDelay(this::reload, millis, millis, TimeUnit.MILLISECONDS);
    }

    public Path path() {
        return path;
    }

    /** True if {@code authorization} (an {@code Authorization} header value, maybe null) carries the token. */
    public boolean accepts(String authorization) {
        byte[] expected = tokenDigest;
        if (expected == null || authorization == null || authorization.length() <= SCHEME.length()
                || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            return false;
        }
        byte[] presented = digest(authorization.substring(SCHEME.length()).trim().getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(expected, presented);
    }

    @Override
    public void close() {
        reloader.shutdownNow();
    }

    private void reload() {
        byte[] next = readDigest();
        byte[] previous = tokenDigest;
        if (!Arrays.equals(next, previous)) {
            tokenDigest = next;
            if (next == null) {
                log.warn("push token file {} is now missing or empty: push requests are refused", path);
            } else {
                log.info("push token file {} changed: the new token is in effect", path);
            }
        }
    }

    private byte[] readDigest() {
        byte[] raw;
        try {
            raw = Files.readAllBytes(path);
        } catch (IOException e) {
            return null;
        }
        String token = new String(raw, StandardCharsets.UTF_8).trim();
        Arrays.fill(raw, (byte) 0);
        return token.isEmpty() ? null : digest(token.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
