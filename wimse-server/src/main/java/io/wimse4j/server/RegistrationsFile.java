package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.server.internal.JoinTokenStore;
import io.wimse4j.server.internal.Registration;
import io.wimse4j.server.internal.RegistrationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Registrations declared in a file ({@code registrations-file}): a JSON object
 * {@code {"registrations":[...]}} whose entries have the form of the admin API's registration bodies
 * ({@code id}, {@code attestation}, optionally {@code wit_ttl_seconds}, {@code kubernetes},
 * {@code dns_names}). Reconciled with the {@link RegistrationStore} at start and whenever the file's
 * content changes (checked every second): declared registrations are created or updated, ones declared
 * before and now absent are removed (their join tokens revoked), registrations made through the admin API
 * are left alone. An invalid file fails the start; at run time it is logged and audited
 * ({@code "event":"registrations-file","result":"invalid"}) and the last good set stays.
 */
final class RegistrationsFile {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrationsFile.class);
    /** Largest file read. */
    static final int MAX_BYTES = 4 * 1024 * 1024;
    static final String EVENT = "registrations-file";

    private final Path file;
    private final TrustDomain trustDomain;
    private final RegistrationStore store;
    private final JoinTokenStore joinTokens;
    private final AuditLog audit;
    private final Clock clock;
    private byte[] lastDigest; // of the content last looked at (good or not); guarded by this
    /** Removed registrations whose join tokens are still to be revoked (a revocation that failed is retried). */
    private final java.util.Set<String> toRevoke = new java.util.LinkedHashSet<>(); // guarded by this

    RegistrationsFile(Path file, TrustDomain trustDomain, RegistrationStore store, JoinTokenStore joinTokens,
                      AuditLog audit, Clock clock) {
        this.file = file;
        this.trustDomain = trustDomain;
        this.store = store;
        this.joinTokens = joinTokens;
        this.audit = audit;
        this.clock = clock;
    }

    /** Reconciles at start. @throws IOException when the file is missing, unreadable or invalid (the message says why) */
    synchronized void reconcileAtStart() throws IOException {
        List<Registration> wanted;
        try {
            byte[] content = read();
            lastDigest = digest(content);
            wanted = parse(content);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        apply(wanted);
    }

    /** Reconciles when the content changed since the last look; never throws (errors are logged and audited). */
    synchronized void poll() {
        revokePending();
        byte[] content;
        try {
            content = read();
        } catch (IllegalArgumentException | IOException e) {
            invalid(null, e.getMessage());
            return;
        }
        byte[] d = digest(content);
        if (Arrays.equals(d, lastDigest)) {
            return;
        }
        lastDigest = d;
        try {
            apply(parse(content));
        } catch (IllegalArgumentException e) {
            invalid(d, e.getMessage());
        } catch (IOException | RuntimeException e) {
            lastDigest = null; // a failed write: try again at the next poll
            LOG.error("registrations file {}: cannot apply it: {}", file, e.toString());
        }
    }

    /** Revokes the join tokens of every removed registration; one that fails stays pending for the next poll. */
    private void revokePending() {
        for (java.util.Iterator<String> it = toRevoke.iterator(); it.hasNext(); ) {
            String id = it.next();
            try {
                joinTokens.revokeAll(identifier(id));
                it.remove();
            } catch (IOException | RuntimeException e) {
                LOG.error("registrations file {}: cannot revoke the join tokens of removed {} yet (retried): {}", file, id, e.toString());
            }
        }
    }

    private void invalid(byte[] digest, String why) {
        if (digest == null && lastDigest == null) {
            return; // already reported: the file is still unreadable
        }
        if (digest == null) {
            lastDigest = null;
        }
        LOG.error("the registrations file is invalid, the last good registrations stay: {}", why);
        audit.recordEvent(clock.instant(), EVENT, "invalid", why);
    }

    private byte[] read() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("registrations file " + file + " does not exist or is not a file");
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IllegalArgumentException("registrations file " + file + " exceeds " + MAX_BYTES + " bytes");
        }
        return Files.readAllBytes(file);
    }

    /** Parses and checks every entry; the message names the entry and what is wrong. */
    List<Registration> parse(byte[] content) {
        ObjectNode root;
        try {
            root = StrictJson.parseObject(content, "registrations file");
        } catch (WimseException e) {
            throw new IllegalArgumentException("registrations file " + file + ": " + e.detail());
        }
        for (var it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("registrations")) {
                throw new IllegalArgumentException("registrations file " + file + ": unknown member '" + f + "'");
            }
        }
        JsonNode arr = root.get("registrations");
        if (arr == null || !arr.isArray()) {
            throw new IllegalArgumentException("registrations file " + file + ": 'registrations' must be an array");
        }
        List<Registration> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<Registration.ServiceAccount> accounts = new HashSet<>();
        int i = 0;
        for (JsonNode n : arr) {
            String where = "registrations file " + file + ", registrations[" + i++ + "]: ";
            Registration r;
            try {
                r = RegistrationStore.fromJson(n);
            } catch (WimseException e) {
                throw new IllegalArgumentException(where + e.detail());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage());
            }
            if (!r.id().isMemberOf(trustDomain)) {
                throw new IllegalArgumentException(where + r.id() + " is outside trust domain " + trustDomain);
            }
            if (!ids.add(r.id().value())) {
                throw new IllegalArgumentException(where + r.id() + " is declared twice");
            }
            if (r.kubernetes().isPresent() && !accounts.add(r.kubernetes().get())) {
                throw new IllegalArgumentException(where + "its service account is declared twice");
            }
            out.add(r);
        }
        return out;
    }

    private void apply(List<Registration> wanted) throws IOException {
        RegistrationStore.Reconciled r = store.reconcile(wanted);
        toRevoke.addAll(r.removed());
        revokePending();
        r.skipped().forEach(s -> LOG.warn("registrations file {}: {}", file, s));
        if (!r.unchanged() || !r.skipped().isEmpty()) {
            String detail = "added " + r.added().size() + ", updated " + r.updated().size() + ", removed "
                    + r.removed().size() + ", skipped " + r.skipped().size();
            LOG.info("registrations file {} reconciled: {} (added {}, updated {}, removed {})", file, detail,
                    r.added(), r.updated(), r.removed());
            audit.recordEvent(clock.instant(), EVENT, "reconciled", detail);
        }
    }

    private static byte[] digest(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An identifier the store handed back, parsed again (it was valid when registered). */
    private static io.wimse4j.core.id.WorkloadIdentifier identifier(String id) {
        try {
            return RegistrationStore.identifier(id);
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }
}
