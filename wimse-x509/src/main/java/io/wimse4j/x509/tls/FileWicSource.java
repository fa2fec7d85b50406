package io.wimse4j.x509.tls;

import io.wimse4j.x509.Pem;
import io.wimse4j.x509.internal.X509Support;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Feeds a {@link WicKeyManager} from a certificate chain file and a private key file (PEM), reloading
 * them when either changes, e.g. when an agent writes a renewed WIC (MT-7): checked every
 * {@code interval} on a daemon thread, and on {@link #refresh()}. A new pair is taken only when it reads
 * completely, the key belongs to the leaf and the leaf is valid now (KEY-3); otherwise the current one
 * stays and one WARN line says why (never a key or certificate). Writers should replace both files
 * atomically (write, then rename), certificate last or both within the interval. Thread-safe.
 */
public final class FileWicSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("io.wimse4j.x509.tls");

    private final Path chainFile;
    private final Path keyFile;
    private final WicKeyManager keys;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private FileTime chainSeen;
    private FileTime keySeen;

    private FileWicSource(Path chainFile, Path keyFile, WicKeyManager keys, Clock clock, Duration interval) {
        this.chainFile = chainFile;
        this.keyFile = keyFile;
        this.keys = keys;
        this.clock = clock;
        this.timer = interval == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wimse-wic-files");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Loads {@code chainFile} (leaf first) and {@code keyFile} into {@code keys} now, then checks them for
     * changes every {@code interval} (at least 1 s; null: only on {@link #refresh()}).
     *
     * @throws IOException when the first pair cannot be read, does not belong together or is not valid now
     */
    public static FileWicSource start(Path chainFile, Path keyFile, WicKeyManager keys, Duration interval, Clock clock)
            throws IOException {
        Objects.requireNonNull(keys, "keys");
        if (interval != null && interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the check interval must be at least 1 s");
        }
        FileWicSource s = new FileWicSource(Objects.requireNonNull(chainFile, "chainFile"), Objects.requireNonNull(keyFile, "keyFile"),
                keys, Objects.requireNonNull(clock, "clock"), interval);
        s.load();
        if (s.timer != null) {
            s.timer.scheduleWithFixedDelay(s::refreshQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return s;
    }

    /** Reloads the files when either changed since the last load; true when a new pair was taken. */
    public synchronized boolean refresh() {
        try {
            FileTime chainNow = Files.getLastModifiedTime(chainFile);
            FileTime keyNow = Files.getLastModifiedTime(keyFile);
            if (chainNow.equals(chainSeen) && keyNow.equals(keySeen)) {
                return false;
            }
            load();
            return true;
        } catch (IOException e) {
            LOG.warn("keeping the current workload certificate: {}", e.getMessage());
            return false;
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("keeping the current workload certificate: {}", e.toString());
        }
    }

    private synchronized void load() throws IOException {
        FileTime chainTime = Files.getLastModifiedTime(chainFile);
        FileTime keyTime = Files.getLastModifiedTime(keyFile);
        List<X509Certificate> chain = Pem.readCertificates(chainFile);
        PrivateKey key = Pem.readPrivateKey(keyFile);
        X509Certificate leaf = chain.get(0);
        if (!X509Support.belongTogether(key, leaf.getPublicKey())) {
            throw new IOException(keyFile.getFileName() + " is not the key of the certificate in " + chainFile.getFileName());
        }
        Instant now = clock.instant();
        if (!now.isBefore(leaf.getNotAfter().toInstant()) || now.isBefore(leaf.getNotBefore().toInstant())) {
            throw new IOException("the certificate in " + chainFile.getFileName() + " is not valid now (KEY-3): valid "
                    + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant());
        }
        keys.update(key, chain);
        chainSeen = chainTime;
        keySeen = keyTime;
    }

    /** Stops checking the files; the key manager keeps the last pair. */
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
