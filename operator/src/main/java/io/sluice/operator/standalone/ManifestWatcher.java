package io.sluice.operator.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls back when the manifest files of a directory change (a file added, removed or edited). Polls a digest of
 * the files' names and contents: simple, and right for editors that replace files by rename, where file-system
 * events are unreliable. A burst of edits within one poll interval gives one callback.
 */
public final class ManifestWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManifestWatcher.class);

    private final ManifestDirectory directory;
    private final Duration interval;
    private final Runnable onChange;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "manifest-watcher");
        t.setDaemon(true);
        return t;
    });
    private byte[] lastDigest;

    public ManifestWatcher(ManifestDirectory directory, Duration interval, Runnable onChange) {
        this.directory = directory;
        this.interval = interval;
        this.onChange = onChange;
    }

    /** Records the current content as seen, then starts polling. */
    public void start() throws IOException {
        lastDigest = digest();
        scheduler.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            byte[] now = digest();
            if (!Arrays.equals(now, lastDigest)) {
                lastDigest = now;
                onChange.run();
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot read {}: {}", directory.directory(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("reload after a change in {} failed", directory.directory(), e);
        }
    }

    private byte[] digest() throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Path file : directory.files()) {
            sha.update(file.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update((byte) 0);
            try {
                sha.update(Files.readAllBytes(file));
            } catch (java.nio.file.NoSuchFileException gone) {
                // removed between listing and reading: the next poll sees the new listing
            }
            sha.update((byte) 0);
        }
        return sha.digest();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
