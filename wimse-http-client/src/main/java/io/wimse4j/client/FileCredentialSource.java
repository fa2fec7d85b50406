package io.wimse4j.client;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.observe.HeldCredential;
import io.wimse4j.core.observe.WimseObserver;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.WorkloadCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Credentials from two files that an agent keeps up to date: the compact WIT and the private JWK
 * its {@code cnf.jwk} names. The files are checked at most once per {@link Builder#checkInterval}
 * (default 1 s) and reloaded when either file's modification time, size or identity changed; a new
 * pair is checked with {@link WorkloadCredentials#of} (the key must be the WIT's key, KEY-4 rotation
 * included). Expired credentials are never returned (KEY-3: {@link Reason#CREDENTIALS_EXPIRED}).
 * A new pair that does not load (half written, mismatched, garbage) is logged at WARN, without file
 * contents, and the previous credentials stay in use while they are unexpired.
 *
 * <p>Reading failures use {@link Reason#MALFORMED_TOKEN} for the WIT file and
 * {@link Reason#INVALID_KEY} for the key file. Thread-safe.
 */
public final class FileCredentialSource implements CredentialSource {
    private static final Logger LOG = LoggerFactory.getLogger(FileCredentialSource.class);
    /** Largest file read, in bytes; WITs and JWKs are a few kilobytes. */
    static final long MAX_FILE_SIZE = 64 * 1024;
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private final Path witFile;
    private final Path keyFile;
    private final Clock clock;
    private final Duration checkInterval;
    private final WimseObserver observer;

    // guarded by this
    private WorkloadCredentials loaded;
    private Stamp loadedStamp;
    private Stamp failedStamp;
    private WimseException lastError;
    private Instant lastCheck;

    private FileCredentialSource(Builder b) {
        this.witFile = b.witFile;
        this.keyFile = b.keyFile;
        this.clock = b.clock;
        this.checkInterval = b.checkInterval;
        this.observer = WimseObserver.guarded(b.observer);
    }

    /** A builder for the WIT file {@code witFile} and the private JWK file {@code keyFile}. */
    public static Builder builder(Path witFile, Path keyFile) {
        return new Builder(witFile, keyFile);
    }

    /** Reloads the files if they changed (at most once per check interval) and returns unexpired credentials. */
    @Override
    public synchronized WorkloadCredentials current() throws WimseException {
        Instant now = clock.instant();
        if (lastCheck == null || !now.isBefore(lastCheck.plus(checkInterval))) {
            lastCheck = now;
            refresh(now);
        }
        if (loaded == null) {
            throw lastError != null ? lastError
                    : new WimseException(Reason.CREDENTIALS_EXPIRED, "no workload credentials could be loaded");
        }
        if (!now.isBefore(loaded.expiresAt())) {
            throw new WimseException(Reason.CREDENTIALS_EXPIRED, "the WIT in " + witFile + " expired at "
                    + loaded.expiresAt() + " and no newer valid one was found; its key must not sign (KEY-3)", lastError);
        }
        return loaded;
    }

    private void refresh(Instant now) {
        Stamp stamp;
        try {
            stamp = new Stamp(FileStamp.of(witFile, Reason.MALFORMED_TOKEN), FileStamp.of(keyFile, Reason.INVALID_KEY));
        } catch (WimseException e) {
            fail(null, e, now);
            return;
        }
        if (stamp.equals(loadedStamp) || stamp.equals(failedStamp)) {
            return;
        }
        try {
            WorkloadCredentials fresh = load();
            if (!now.isBefore(fresh.expiresAt()) && loaded != null && now.isBefore(loaded.expiresAt())) {
                throw new WimseException(Reason.CREDENTIALS_EXPIRED, "the new WIT already expired at " + fresh.expiresAt());
            }
            boolean rotated = loaded != null;
            loaded = fresh;
            loadedStamp = stamp;
            failedStamp = null;
            lastError = null;
            LOG.info("{} workload credentials from {}: {}", rotated ? "reloaded" : "loaded", witFile, fresh);
            observer.credentialRenewed(HeldCredential.WIT, fresh.expiresAt());
        } catch (WimseException e) {
            fail(stamp, e, now);
        }
    }

    private void fail(Stamp stamp, WimseException e, Instant now) {
        failedStamp = stamp;
        lastError = e;
        if (loaded != null && now.isBefore(loaded.expiresAt())) {
            LOG.warn("could not load workload credentials from {} and {} ({}); keeping the previous ones, {}",
                    witFile, keyFile, e.getMessage(), loaded);
        } else {
            LOG.warn("could not load workload credentials from {} and {} ({})", witFile, keyFile, e.getMessage());
        }
        observer.credentialRenewalFailed(HeldCredential.WIT, e);
    }

    private WorkloadCredentials load() throws WimseException {
        String wit = read(witFile, Reason.MALFORMED_TOKEN).strip();
        String jwk = read(keyFile, Reason.INVALID_KEY);
        warnIfShared(keyFile);
        WorkloadKeyPair key = WorkloadKeyPair.fromPrivateJwk(jwk, null);
        return WorkloadCredentials.of(wit, key.signer());
    }

    private static String read(Path file, Reason reason) throws WimseException {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_SIZE) {
                throw new WimseException(reason, file + " is larger than " + MAX_FILE_SIZE + " bytes");
            }
            if (size == 0) {
                throw new WimseException(reason, file + " is empty");
            }
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WimseException(reason, "cannot read " + file + ": " + e.getClass().getSimpleName());
        }
    }

    private static void warnIfShared(Path keyFile) {
        PosixFileAttributeView view = Files.getFileAttributeView(keyFile, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        try {
            Set<PosixFilePermission> perms = view.readAttributes().permissions();
            if (perms.stream().anyMatch(OTHERS::contains)) {
                LOG.warn("private key file {} is accessible to group or others; it should be owner-only (KEY-1)", keyFile);
            }
        } catch (IOException e) {
            // the key was just read; permissions are advisory here
        }
    }

    private record FileStamp(Object fileKey, java.nio.file.attribute.FileTime modified, long size) {
        static FileStamp of(Path file, Reason reason) throws WimseException {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileStamp(a.fileKey(), a.lastModifiedTime(), a.size());
            } catch (IOException e) {
                throw new WimseException(reason, "cannot read " + file + ": " + e.getClass().getSimpleName());
            }
        }
    }

    private record Stamp(FileStamp wit, FileStamp key) {
    }

    /** Builder for {@link FileCredentialSource}. */
    public static final class Builder {
        private final Path witFile;
        private final Path keyFile;
        private Clock clock = Clock.systemUTC();
        private Duration checkInterval = Duration.ofSeconds(1);
        private WimseObserver observer = WimseObserver.none();

        private Builder(Path witFile, Path keyFile) {
            this.witFile = Objects.requireNonNull(witFile, "witFile");
            this.keyFile = Objects.requireNonNull(keyFile, "keyFile");
        }

        /** The clock for expiry and the check interval (default system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How often at most the files are looked at (default 1 s; zero checks on every call). */
        public Builder checkInterval(Duration interval) {
            this.checkInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Told of every pair loaded ({@link HeldCredential#WIT}, with its expiry) and of every check that found
         * files that do not load (a changed pair once; missing or unreadable files at every check), on the
         * thread calling {@link FileCredentialSource#current()} (default {@link WimseObserver#none()}).
         */
        public Builder observer(WimseObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** Builds the source; the files are first read on {@link FileCredentialSource#current()}. */
        public FileCredentialSource build() {
            if (checkInterval.isNegative()) {
                throw new IllegalStateException("checkInterval must not be negative");
            }
            if (witFile.equals(keyFile)) {
                throw new IllegalStateException("the WIT and the key must be different files");
            }
            return new FileCredentialSource(this);
        }
    }
}
