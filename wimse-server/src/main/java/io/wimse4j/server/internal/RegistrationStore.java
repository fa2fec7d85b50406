package io.wimse4j.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.internal.StrictJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registrations, persisted in {@code <state dir>/registrations.json} (owner-only, replaced
 * atomically on every change) so a restart keeps them, each with the time it was registered (so a
 * WIT issued under an earlier registration of the same identifier cannot renew it). Thread-safe.
 *
 * <p>Identifiers are registered exactly as given, in canonical form only (ID3-2): a non-canonical one
 * is refused, never normalized. A registration in the file that is not a valid identifier any more
 * (written by a version before identifier-03, e.g. with percent-encoding or {@code :} in its path) is
 * left out with a warning, so the server still starts: no verifier would accept the WITs it names.
 */
public final class RegistrationStore {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrationStore.class);
    /** The file holding the registrations. */
    public static final String FILE = "registrations.json";
    private static final String REGISTERED_AT = "registered_at";
    private static final String SOURCE = "source";
    /** The {@code source} of a registration declared in the registrations file. */
    public static final String SOURCE_FILE = "file";

    private final StateDir state;
    private final Clock clock;
    private final Map<String, Registration> byId = new LinkedHashMap<>();
    private final Map<String, Instant> registeredAt = new HashMap<>();
    /** Identifiers declared in the registrations file; the others came through the admin API. */
    private final Set<String> declared = new java.util.HashSet<>();

    private RegistrationStore(StateDir state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    /** Loads the registrations of {@code state}. */
    public static RegistrationStore open(StateDir state, Clock clock) throws IOException {
        RegistrationStore store = new RegistrationStore(state, clock);
        Optional<byte[]> bytes = state.read(FILE);
        if (bytes.isPresent()) {
            try {
                for (JsonNode n : StrictJson.parseObject(bytes.get(), FILE).withArray("registrations")) {
                    ObjectNode copy = ((ObjectNode) n).deepCopy();
                    JsonNode at = copy.remove(REGISTERED_AT);
                    JsonNode source = copy.remove(SOURCE);
                    Registration r;
                    try {
                        r = fromJson(copy);
                    } catch (WimseException notCanonical) {
                        LOG.warn("state file {}: registration {} is ignored, {}; register the identifier in canonical"
                                + " form (it leaves the file at the next change)", FILE, copy.path("id"), notCanonical.detail());
                        continue;
                    }
                    store.byId.put(r.id().value(), r);
                    if (source != null && SOURCE_FILE.equals(source.asText())) {
                        store.declared.add(r.id().value());
                    }
                    // files written before registration times were kept: as old as possible
                    store.registeredAt.put(r.id().value(), at == null ? Instant.EPOCH : Instant.ofEpochSecond(at.longValue()));
                }
            } catch (WimseException | RuntimeException e) {
                throw new IOException("state file " + FILE + " is unreadable", e);
            }
        }
        return store;
    }

    /**
     * Adds {@code r}; false when its identifier is already registered or its Kubernetes service
     * account is already mapped to an identifier (checked under the same lock as the insertion, so
     * two concurrent registrations cannot both map one service account).
     */
    public synchronized boolean add(Registration r) throws IOException {
        if (byId.containsKey(r.id().value())
                || r.kubernetes().isPresent() && findByServiceAccount(r.kubernetes().get()).isPresent()) {
            return false;
        }
        byId.put(r.id().value(), r);
        registeredAt.put(r.id().value(), Instant.ofEpochSecond(clock.instant().getEpochSecond()));
        try {
            persist();
        } catch (IOException e) {
            byId.remove(r.id().value());
            registeredAt.remove(r.id().value());
            throw e;
        }
        return true;
    }

    /** Removes the registration of {@code id}; false when there is none. */
    public synchronized boolean remove(WorkloadIdentifier id) throws IOException {
        Registration old = byId.remove(id.value());
        if (old == null) {
            return false;
        }
        boolean wasDeclared = declared.remove(id.value());
        try {
            persist();
        } catch (IOException e) {
            byId.put(id.value(), old);
            if (wasDeclared) {
                declared.add(id.value());
            }
            throw e;
        }
        return true;
    }

    /** True when the registration of {@code id} was declared in the registrations file. */
    public synchronized boolean isDeclared(WorkloadIdentifier id) {
        return declared.contains(id.value());
    }

    /**
     * What {@link #reconcile} did.
     *
     * @param added   identifiers newly registered from the file
     * @param updated identifiers whose declared registration changed
     * @param removed identifiers declared before and no more, deregistered
     * @param skipped why declared registrations were left out (an identifier or service account already
     *                registered through the admin API)
     */
    public record Reconciled(List<String> added, List<String> updated, List<String> removed, List<String> skipped) {
        /** True when nothing changed. */
        public boolean unchanged() {
            return added.isEmpty() && updated.isEmpty() && removed.isEmpty();
        }
    }

    /**
     * Makes the registrations declared in the file exactly {@code wanted}: new ones added, changed ones
     * replaced (keeping their registration time), ones declared before and absent now removed; a
     * registration made through the admin API is never touched, and a declared one that collides with it
     * (same identifier, or same service account) is skipped. One atomic write of the state file; on failure
     * nothing changes.
     */
    public synchronized Reconciled reconcile(List<Registration> wanted) throws IOException {
        Map<String, Registration> oldById = new LinkedHashMap<>(byId);
        Map<String, Instant> oldAt = new HashMap<>(registeredAt);
        Set<String> oldDeclared = new java.util.HashSet<>(declared);
        List<String> added = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<String> wantedIds = new java.util.HashSet<>();
        wanted.forEach(r -> wantedIds.add(r.id().value()));
        for (String id : List.copyOf(declared)) {
            if (!wantedIds.contains(id)) {
                byId.remove(id);
                registeredAt.remove(id);
                declared.remove(id);
                removed.add(id);
            }
        }
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        for (Registration r : wanted) {
            String id = r.id().value();
            Registration existing = byId.get(id);
            if (existing != null && !declared.contains(id)) {
                skipped.add(id + ": registered through the admin API, left alone");
                continue;
            }
            if (r.kubernetes().isPresent()) {
                Optional<Registration> holder = findByServiceAccount(r.kubernetes().get());
                if (holder.isPresent() && !holder.get().id().equals(r.id())) {
                    skipped.add(id + ": its service account is already mapped to " + holder.get().id());
                    continue;
                }
            }
            if (existing == null) {
                byId.put(id, r);
                registeredAt.put(id, now);
                declared.add(id);
                added.add(id);
            } else if (!existing.equals(r)) {
                byId.put(id, r);
                updated.add(id);
            }
        }
        Reconciled result = new Reconciled(List.copyOf(added), List.copyOf(updated), List.copyOf(removed), List.copyOf(skipped));
        if (!result.unchanged()) {
            try {
                persist();
            } catch (IOException e) {
                byId.clear();
                byId.putAll(oldById);
                registeredAt.clear();
                registeredAt.putAll(oldAt);
                declared.clear();
                declared.addAll(oldDeclared);
                throw e;
            }
        }
        return result;
    }

    /** When the current registration of {@code id} was made (whole seconds), empty when none. */
    public synchronized Optional<Instant> registeredAt(WorkloadIdentifier id) {
        if (!byId.containsKey(id.value())) {
            return Optional.empty();
        }
        return Optional.of(registeredAt.getOrDefault(id.value(), Instant.EPOCH));
    }

    /** The registration of {@code id}. */
    public synchronized Optional<Registration> find(WorkloadIdentifier id) {
        return Optional.ofNullable(byId.get(id.value()));
    }

    /** The registration the Kubernetes service account {@code sa} attests as. */
    public synchronized Optional<Registration> findByServiceAccount(Registration.ServiceAccount sa) {
        return byId.values().stream().filter(r -> r.kubernetes().filter(sa::equals).isPresent()).findFirst();
    }

    /** Every registration, in insertion order. */
    public synchronized List<Registration> all() {
        return List.copyOf(byId.values());
    }

    private void persist() throws IOException {
        ObjectNode root = StrictJson.mapper().createObjectNode();
        ArrayNode arr = root.putArray("registrations");
        byId.values().forEach(r -> {
            ObjectNode o = toJson(r).put(REGISTERED_AT, registeredAt.getOrDefault(r.id().value(), Instant.EPOCH).getEpochSecond());
            if (declared.contains(r.id().value())) {
                o.put(SOURCE, SOURCE_FILE);
            }
            arr.add(o);
        });
        state.writeAtomically(FILE, StrictJson.mapper().writeValueAsBytes(root));
    }

    /** The registration as the admin API shows it. */
    public static ObjectNode toJson(Registration r) {
        ObjectNode o = StrictJson.mapper().createObjectNode();
        o.put("id", r.id().value());
        ArrayNode methods = o.putArray("attestation");
        r.attestation().stream().sorted().forEach(m -> methods.add(m.wireName()));
        r.witTtl().ifPresent(t -> o.put("wit_ttl_seconds", t.toSeconds()));
        r.kubernetes().ifPresent(k -> {
            ObjectNode kn = o.putObject("kubernetes");
            kn.put("namespace", k.namespace());
            kn.put("service_account", k.serviceAccount());
        });
        if (!r.dnsNames().isEmpty()) {
            ArrayNode dns = o.putArray("dns_names");
            r.dnsNames().forEach(dns::add);
        }
        return o;
    }

    /**
     * Reads a registration from its JSON form (the admin API body).
     *
     * @throws IllegalArgumentException when a member is missing or invalid
     * @throws WimseException           when the identifier is invalid or not canonical (ID3-2; the detail says
     *                                  why and starts with {@code 'id'})
     */
    public static Registration fromJson(JsonNode n) throws WimseException {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("a registration is a JSON object");
        }
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("id", "attestation", "wit_ttl_seconds", "kubernetes", "dns_names").contains(f)) {
                throw new IllegalArgumentException("unknown member '" + f + "'");
            }
        }
        JsonNode id = n.get("id");
        if (id == null || !id.isTextual()) {
            throw new IllegalArgumentException("'id' must be a string");
        }
        JsonNode att = n.get("attestation");
        if (att == null || !att.isArray() || att.isEmpty()) {
            throw new IllegalArgumentException("'attestation' must be a non-empty array of methods");
        }
        Set<AttestationMethod> methods = EnumSet.noneOf(AttestationMethod.class);
        List<String> unknown = new ArrayList<>();
        for (JsonNode m : att) {
            Optional<AttestationMethod> am = m.isTextual() ? AttestationMethod.fromWireName(m.textValue()) : Optional.empty();
            am.ifPresentOrElse(methods::add, () -> unknown.add(m.toString()));
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown attestation method(s) " + unknown);
        }
        Optional<Duration> ttl = Optional.empty();
        JsonNode t = n.get("wit_ttl_seconds");
        if (t != null && !t.isNull()) {
            if (!t.canConvertToLong() || !t.isIntegralNumber()) {
                throw new IllegalArgumentException("'wit_ttl_seconds' must be an integer");
            }
            ttl = Optional.of(Duration.ofSeconds(t.longValue()));
        }
        Optional<Registration.ServiceAccount> sa = Optional.empty();
        JsonNode k = n.get("kubernetes");
        if (k != null && !k.isNull()) {
            JsonNode ns = k.get("namespace");
            JsonNode name = k.get("service_account");
            if (!k.isObject() || ns == null || !ns.isTextual() || name == null || !name.isTextual()) {
                throw new IllegalArgumentException("'kubernetes' must be {\"namespace\": ..., \"service_account\": ...}");
            }
            sa = Optional.of(new Registration.ServiceAccount(ns.textValue(), name.textValue()));
        }
        List<String> dnsNames = new ArrayList<>();
        JsonNode dns = n.get("dns_names");
        if (dns != null && !dns.isNull()) {
            if (!dns.isArray()) {
                throw new IllegalArgumentException("'dns_names' must be an array of DNS names");
            }
            for (JsonNode d : dns) {
                if (!d.isTextual()) {
                    throw new IllegalArgumentException("'dns_names' must be an array of DNS names");
                }
                dnsNames.add(d.textValue());
            }
        }
        return new Registration(identifier(id.textValue()), methods, ttl, sa, dnsNames);
    }

    /**
     * Parses a registered identifier (strictly: the server never registers an IP trust domain, ID3-5), its
     * {@link io.wimse4j.core.error.Reason#INVALID_IDENTIFIER} detail naming the member.
     */
    public static WorkloadIdentifier identifier(String value) throws WimseException {
        try {
            return WorkloadIdentifier.parse(value);
        } catch (WimseException e) {
            throw new WimseException(e.reason(), "'id' is not a canonical workload identifier, and is never"
                    + " normalized (ID3-2): " + e.detail());
        }
    }
}
