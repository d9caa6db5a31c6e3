package io.sluice.proxy.apply;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Optional;

/**
 * The last snapshot that was applied, kept on disk so that a restarted proxy can serve before the operator pushes
 * again. Written to a temporary file in the same directory and moved over the old one atomically, so a reader
 * (or a crash mid-write) never sees half a document. The file holds certificate keys, so it is created readable
 * by its owner only where the file system supports POSIX permissions.
 */
public final class LastKnownGoodFile {
    private final Path path;

    public LastKnownGoodFile(Path path) {
        this.path = Objects.requireNonNull(path, "path").toAbsolutePath();
    }

    public Path path() {
        return path;
    }

    /** Replaces the file with {@code json}, atomically. */
    public void write(byte[] json) throws IOException {
        Path dir = path.getParent();
        Files.createDirectories(dir);
        Path temp = createPrivateTempFile(dir);
        try {
            Files.write(temp, json);
            try {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot replace files atomically", e);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The stored document, or empty when there is none yet. */
    public Optional<byte[]> read() throws IOException {
        try {
            return Optional.of(Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private Path createPrivateTempFile(Path dir) throws IOException {
        String prefix = "." + path.getFileName() + ".";
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile(dir, prefix, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createTempFile(dir, prefix, ".tmp");
    }
}
