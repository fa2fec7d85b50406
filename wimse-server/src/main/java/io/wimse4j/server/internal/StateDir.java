package io.wimse4j.server.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The Identity Server's state directory: created owner-only ({@code rwx------}); every file in it
 * owner-only ({@code rw-------}, KEY-1) and replaced atomically (a temporary file in the same
 * directory, fsync, {@code ATOMIC_MOVE}, fsync of the directory), so a crash leaves either the old
 * or the new content, never a torn file. The audit log is the one append-only file.
 */
public final class StateDir {
    /** Permissions of the directory. */
    public static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwx------");
    /** Permissions of every file. */
    public static final Set<PosixFilePermission> FILE_PERMS = PosixFilePermissions.fromString("rw-------");

    private final Path dir;

    private StateDir(Path dir) {
        this.dir = dir;
    }

    /** Opens {@code dir}, creating it owner-only when absent and tightening its permissions otherwise. */
    public static StateDir open(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            try {
                Files.createDirectory(abs, PosixFilePermissions.asFileAttribute(DIR_PERMS));
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(abs)) {
                    throw e;
                }
            }
        }
        Files.setPosixFilePermissions(abs, DIR_PERMS);
        return new StateDir(abs);
    }

    /**
     * Deletes the temporary files of atomic writes that a crash interrupted ({@code .tmp-*.part}):
     * they never replaced anything. Call it only while holding {@link #lockExclusively()}.
     *
     * @return how many were removed
     */
    public int removeInterruptedWrites() throws IOException {
        int removed = 0;
        try (var files = Files.newDirectoryStream(dir, ".tmp-*.part")) {
            for (Path p : files) {
                if (Files.deleteIfExists(p)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    /** The lock file held by the one server using the directory. */
    public static final String LOCK = "server.lock";

    /**
     * Locks the directory for this process: a second server on the same directory would keep its
     * own copy of the one-time join tokens (and keys) and accept a token the first already used.
     * Close the returned handle to release it.
     *
     * @throws IOException when another server (in this or another process) holds the lock
     */
    public AutoCloseable lockExclusively() throws IOException {
        Path p = file(LOCK);
        if (!Files.exists(p)) {
            try {
                Files.createFile(p, PosixFilePermissions.asFileAttribute(FILE_PERMS));
            } catch (FileAlreadyExistsException ignored) {
                // created concurrently; fine
            }
        }
        FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new IOException("state directory " + dir + " is in use by another Identity Server");
        }
        return ch::close;
    }

    /** The directory. */
    public Path path() {
        return dir;
    }

    /** The path of file {@code name} in the directory. */
    public Path file(String name) {
        if (name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("state file names are plain names");
        }
        return dir.resolve(name);
    }

    /** The content of {@code name}, empty when it does not exist. */
    public Optional<byte[]> read(String name) throws IOException {
        Path p = file(name);
        if (!Files.exists(p)) {
            return Optional.empty();
        }
        return Optional.of(Files.readAllBytes(p));
    }

    /** The UTF-8 content of {@code name}, empty when it does not exist. */
    public Optional<String> readString(String name) throws IOException {
        return read(name).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    /** Replaces {@code name} atomically with {@code content}, owner-only. */
    public void writeAtomically(String name, byte[] content) throws IOException {
        Path target = file(name);
        Path tmp = Files.createTempFile(dir, ".tmp-" + name + "-", ".part", PosixFilePermissions.asFileAttribute(FILE_PERMS));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the state directory's file system cannot replace files atomically", e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory();
    }

    /** Replaces {@code name} atomically with the UTF-8 {@code content}. */
    public void writeAtomically(String name, String content) throws IOException {
        writeAtomically(name, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends one line to {@code name} (created owner-only), forcing it to disk. */
    public synchronized void appendLine(String name, String line) throws IOException {
        Path p = file(name);
        if (!Files.exists(p)) {
            try {
                Files.createFile(p, PosixFilePermissions.asFileAttribute(FILE_PERMS));
            } catch (FileAlreadyExistsException ignored) {
                // created concurrently; fine
            }
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(false);
        }
    }

    private void syncDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // some platforms cannot open a directory for fsync; the rename itself is still atomic
        }
    }

    @Override
    public String toString() {
        return "StateDir[" + dir + "]";
    }
}
