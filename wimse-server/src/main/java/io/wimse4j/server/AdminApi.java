package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.server.http.Problem;
import io.wimse4j.server.internal.AttestationMethod;
import io.wimse4j.server.internal.JoinTokenStore;
import io.wimse4j.server.internal.KeyRing;
import io.wimse4j.server.internal.Registration;
import io.wimse4j.server.internal.RegistrationStore;
import io.wimse4j.server.internal.WorkloadCa;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * The admin API ({@code /admin/v1/...}, see {@code docs/identity-server-api.md}): registrations,
 * join tokens, key rotation and listing, workload CA rotation and listing. Every request must carry the admin bearer token
 * ({@link AdminToken}, compared in constant time); otherwise 401 {@code admin-unauthorized}.
 * Registrations outside the trust domain are refused ({@code identifier-outside-trust-domain}), and so
 * are identifiers that are not in canonical form (400 {@code malformed-request}, the detail naming the
 * rule; ID3-2: never normalized), wherever an {@code id} is given. A registration declared in the
 * registrations file is listed with {@code "source":"file"} and cannot be deleted here (409
 * {@code registration-exists}: remove it from the file).
 */
final class AdminApi {
    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

    private final AdminToken token;
    private final TrustDomain trustDomain;
    private final RegistrationStore registrations;
    private final JoinTokenStore joinTokens;
    private final KeyRing keys;
    private final WorkloadCa.Authorities workloadCas;

    AdminApi(AdminToken token, TrustDomain trustDomain, RegistrationStore registrations, JoinTokenStore joinTokens,
             KeyRing keys, WorkloadCa.Authorities workloadCas) {
        this.workloadCas = workloadCas;
        this.token = token;
        this.trustDomain = trustDomain;
        this.registrations = registrations;
        this.joinTokens = joinTokens;
        this.keys = keys;
    }

    /** Checks the {@code Authorization} header; call before reading the body. */
    void authorize(String authorization) throws Problem {
        if (!token.matches(authorization)) {
            throw Problem.of(Problem.Code.ADMIN_UNAUTHORIZED, "a valid admin bearer token is required");
        }
    }

    /** Handles an authorized admin request. */
    Reply handle(String method, String path, String idParam, byte[] body) throws Problem, IOException {
        switch (path) {
            case "/admin/v1/registrations" -> {
                return switch (method) {
                    case "POST" -> register(body);
                    case "GET" -> listRegistrations();
                    case "DELETE" -> deregister(idParam);
                    default -> throw notAllowed(method);
                };
            }
            case "/admin/v1/join-tokens" -> {
                requireMethod(method, "POST");
                return mintJoinToken(body);
            }
            case "/admin/v1/keys/rotate" -> {
                requireMethod(method, "POST");
                KeyRing.Rotation r = keys.rotate();
                LOG.info("admin: rotated WIT signing key, new kid {} signs from {}", r.kid(), r.signsFrom());
                ObjectNode o = StrictJson.mapper().createObjectNode();
                o.put("kid", r.kid());
                o.put("publishes_at", r.publishesAt().toString());
                o.put("signs_from", r.signsFrom().toString());
                return Reply.json(200, o);
            }
            case "/admin/v1/keys" -> {
                requireMethod(method, "GET");
                ObjectNode o = StrictJson.mapper().createObjectNode();
                ArrayNode arr = o.putArray("keys");
                for (KeyRing.KeyInfo k : keys.keys()) {
                    ObjectNode e = arr.addObject();
                    e.put("kid", k.kid());
                    e.put("alg", k.alg().jwaName());
                    e.put("state", k.state().name().toLowerCase(Locale.ROOT));
                    e.put("created_at", k.createdAt().toString());
                    e.put("signs_from", k.signsFrom().toString());
                    k.retireAfter().ifPresent(t -> e.put("retire_after", t.toString()));
                }
                return Reply.json(200, o);
            }
            case "/admin/v1/wic-ca/rotate" -> {
                requireMethod(method, "POST");
                WorkloadCa.Rotation r = workloadCas.rotate();
                LOG.info("admin: rotated the workload CA, new CA serial {} signs WICs from {}", r.serial(), r.signsFrom());
                ObjectNode o = StrictJson.mapper().createObjectNode();
                o.put("serial", r.serial());
                o.put("publishes_at", r.publishesAt().toString());
                o.put("signs_from", r.signsFrom().toString());
                o.put("not_after", r.notAfter().toString());
                return Reply.json(200, o);
            }
            case "/admin/v1/wic-ca" -> {
                requireMethod(method, "GET");
                ObjectNode o = StrictJson.mapper().createObjectNode();
                ArrayNode arr = o.putArray("authorities");
                for (WorkloadCa.CaInfo c : workloadCas.list()) {
                    ObjectNode e = arr.addObject();
                    e.put("serial", c.serial());
                    e.put("state", c.state().name().toLowerCase(Locale.ROOT));
                    e.put("created_at", c.createdAt().toString());
                    e.put("signs_from", c.signsFrom().toString());
                    e.put("not_after", c.notAfter().toString());
                    c.retireAfter().ifPresent(t -> e.put("retire_after", t.toString()));
                }
                return Reply.json(200, o);
            }
            default -> throw Problem.of(Problem.Code.NOT_FOUND, "no such admin resource");
        }
    }

    private Reply register(byte[] body) throws Problem, IOException {
        Registration r;
        try {
            r = RegistrationStore.fromJson(StrictJson.parseObject(body, "request body"));
        } catch (WimseException e) {
            throw Problem.of(Problem.Code.MALFORMED_REQUEST, e.detail());
        } catch (IllegalArgumentException e) {
            throw Problem.of(Problem.Code.MALFORMED_REQUEST, e.getMessage());
        }
        if (!r.id().isMemberOf(trustDomain)) {
            throw Problem.of(Problem.Code.IDENTIFIER_OUTSIDE_TRUST_DOMAIN, r.id() + " is outside trust domain " + trustDomain);
        }
        if (r.kubernetes().isPresent() && registrations.findByServiceAccount(r.kubernetes().get()).isPresent()) {
            throw Problem.of(Problem.Code.REGISTRATION_EXISTS, "that service account is already mapped to another identifier");
        }
        if (!registrations.add(r)) {
            throw Problem.of(Problem.Code.REGISTRATION_EXISTS, r.id() + " is already registered");
        }
        LOG.info("admin: registered {} for {}", r.id(), r.attestation());
        return Reply.json(201, RegistrationStore.toJson(r));
    }

    private Reply listRegistrations() {
        ObjectNode o = StrictJson.mapper().createObjectNode();
        ArrayNode arr = o.putArray("registrations");
        registrations.all().forEach(r -> {
            ObjectNode n = RegistrationStore.toJson(r);
            if (registrations.isDeclared(r.id())) {
                n.put("source", RegistrationStore.SOURCE_FILE);
            }
            arr.add(n);
        });
        return Reply.json(200, o);
    }

    private Reply deregister(String idParam) throws Problem, IOException {
        if (idParam == null) {
            throw Problem.of(Problem.Code.MALFORMED_REQUEST, "query parameter 'id' is required");
        }
        WorkloadIdentifier id = identifier(idParam);
        if (registrations.find(id).isEmpty()) {
            throw Problem.of(Problem.Code.REGISTRATION_NOT_FOUND, id + " is not registered");
        }
        if (registrations.isDeclared(id)) {
            throw Problem.of(Problem.Code.REGISTRATION_EXISTS, id + " is declared in the registrations file;"
                    + " remove it there");
        }
        // revoke first: a failure leaves the registration in place, never its tokens without it
        int revoked = joinTokens.revokeAll(id);
        if (!registrations.remove(id)) {
            throw Problem.of(Problem.Code.REGISTRATION_NOT_FOUND, id + " is not registered");
        }
        LOG.info("admin: removed registration {} and revoked {} outstanding join token(s)", id, revoked);
        return Reply.empty(204);
    }

    private static final java.util.Set<String> JOIN_TOKEN_MEMBERS = java.util.Set.of("id", "ttl_seconds");

    private Reply mintJoinToken(byte[] body) throws Problem, IOException {
        ObjectNode req;
        try {
            req = StrictJson.parseObject(body, "request body");
        } catch (WimseException e) {
            throw Problem.of(Problem.Code.MALFORMED_REQUEST, e.detail());
        }
        Members.requireOnly(req, JOIN_TOKEN_MEMBERS, Problem.Code.MALFORMED_REQUEST, "join-token request");
        JsonNode idNode = req.get("id");
        JsonNode ttlNode = req.get("ttl_seconds");
        if (idNode == null || !idNode.isTextual()) {
            throw Problem.of(Problem.Code.MALFORMED_REQUEST, "'id' must be a string");
        }
        long ttl = 600;
        if (ttlNode != null) {
            if (!ttlNode.isIntegralNumber() || !ttlNode.canConvertToLong()) {
                throw Problem.of(Problem.Code.MALFORMED_REQUEST, "'ttl_seconds' must be an integer");
            }
            ttl = ttlNode.longValue();
        }
        if (ttl <= 0 || ttl > JoinTokenStore.MAX_TTL.toSeconds()) {
            throw Problem.of(Problem.Code.MALFORMED_REQUEST, "'ttl_seconds' must be between 1 and " + JoinTokenStore.MAX_TTL.toSeconds());
        }
        WorkloadIdentifier id = identifier(idNode.textValue());
        if (!id.isMemberOf(trustDomain)) {
            throw Problem.of(Problem.Code.IDENTIFIER_OUTSIDE_TRUST_DOMAIN, id + " is outside trust domain " + trustDomain);
        }
        var registration = registrations.find(id).orElseThrow(() ->
                Problem.of(Problem.Code.REGISTRATION_NOT_FOUND, id + " is not registered"));
        if (!registration.allows(AttestationMethod.JOIN_TOKEN)) {
            throw Problem.of(Problem.Code.METHOD_NOT_ALLOWED_FOR_IDENTIFIER,
                    "the registration of " + id + " does not allow the join_token method");
        }
        JoinTokenStore.Minted minted = joinTokens.mint(id, Duration.ofSeconds(ttl));
        LOG.info("admin: minted a join token for {} expiring {}", id, minted.expiresAt());
        ObjectNode o = StrictJson.mapper().createObjectNode();
        o.put("token", minted.token());
        o.put("id", id.value());
        o.put("expires_at", minted.expiresAt().toString());
        return Reply.json(201, o);
    }

    private static WorkloadIdentifier identifier(String value) throws Problem {
        try {
            return RegistrationStore.identifier(value);
        } catch (WimseException e) {
            throw Problem.of(Problem.Code.MALFORMED_REQUEST, e.detail());
        }
    }

    private static void requireMethod(String method, String expected) throws Problem {
        if (!expected.equals(method)) {
            throw notAllowed(method);
        }
    }

    private static Problem notAllowed(String method) {
        return Problem.of(Problem.Code.HTTP_METHOD_NOT_ALLOWED, "method " + method + " is not allowed here");
    }
}
