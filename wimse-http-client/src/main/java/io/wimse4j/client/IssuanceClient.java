package io.wimse4j.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.internal.JwsWriter;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.core.wpt.WptCreator;
import io.wimse4j.core.wpt.WptTransport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One {@code POST /v1/wit} exchange with the Identity Server: a fresh key pair per request (KEY-4),
 * its {@code wimse-pop+jwt} proof of possession, and either an initial attestation or a renewal
 * with the current WIT and a WPT for {@code <base>/v1/wit}. Answers become checked
 * {@link WorkloadCredentials}; problems become {@link IdentityServerException}s.
 */
final class IssuanceClient {
    static final String PROOF_TYP = "wimse-pop+jwt";
    private static final Duration PROOF_TTL = Duration.ofSeconds(60);

    private final URI endpoint;
    private final HttpClient http;
    private final JwsAlgorithm algorithm;
    private final Clock clock;
    private final Duration timeout;
    private final WptTransport transport;
    private final int maxBodyBytes;
    private final IdentityServerCredentialSource.KeyExport export;

    IssuanceClient(URI endpoint, HttpClient http, JwsAlgorithm algorithm, WptTransport transport, Clock clock, Duration timeout,
                   int maxBodyBytes) {
        this(endpoint, http, algorithm, transport, clock, timeout, maxBodyBytes, null);
    }

    /** As above, handing each checked WIT and its new key to {@code export} (null: none) before returning it. */
    IssuanceClient(URI endpoint, HttpClient http, JwsAlgorithm algorithm, WptTransport transport, Clock clock, Duration timeout,
                   int maxBodyBytes, IdentityServerCredentialSource.KeyExport export) {
        this.export = export;
        this.endpoint = endpoint;
        this.transport = transport;
        this.http = http;
        this.algorithm = algorithm;
        this.clock = clock;
        this.timeout = timeout;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Issuance with an initial attestation. */
    WorkloadCredentials issue(InitialAttestation attestation) throws IOException, WimseException, InterruptedException {
        WorkloadKeyPair key = WorkloadKeyPair.generate(algorithm);
        return exchange(key, attestation.toJson(), Map.of());
    }

    /** Renewal with method {@code wit}: the current WIT and a WPT signed with the current key. */
    WorkloadCredentials renew(WorkloadCredentials current) throws IOException, WimseException, InterruptedException {
        WorkloadKeyPair key = WorkloadKeyPair.generate(algorithm);
        RequestSigner signer = RequestSigner.builder().transport(transport).credentials(CredentialSource.fixed(current))
                .proofCreator(WptCreator.create(clock, PROOF_TTL)).build();
        Map<String, String> headers = signer.sign("POST", endpoint,
                Map.of("Content-Type", List.of("application/json"))).asMap();
        ObjectNode attestation = StrictJson.mapper().createObjectNode().put("method", "wit");
        WorkloadCredentials renewed = exchange(key, attestation, headers);
        if (!renewed.subject().equals(current.subject())) {
            throw new IdentityServerException(0, null, "the renewed WIT is for " + renewed.subject()
                    + ", not " + current.subject());
        }
        return renewed;
    }

    private WorkloadCredentials exchange(WorkloadKeyPair key, ObjectNode attestation, Map<String, String> headers)
            throws IOException, WimseException, InterruptedException {
        ObjectNode body = StrictJson.mapper().createObjectNode();
        body.set("public_jwk", StrictJson.mapper().valueToTree(key.publicJwk().toMap()));
        body.put("proof", proof(key));
        body.set("attestation", attestation);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(StrictJson.mapper().writeValueAsBytes(body)));
        headers.forEach(request::header);
        BoundedHttp.Response response = BoundedHttp.send(http, request.build(), maxBodyBytes);
        if (response.status() != 200) {
            throw IdentityServerException.of(response);
        }
        ObjectNode answer;
        try {
            answer = StrictJson.parseObject(response.body(), "issuance response");
        } catch (WimseException e) {
            throw new IdentityServerException(200, null, "the Identity Server's answer is not valid JSON (" + e.reason() + ")");
        }
        JsonNode wit = answer.get("wit");
        if (wit == null || !wit.isTextual()) {
            throw new IdentityServerException(200, null, "the Identity Server's answer has no 'wit'");
        }
        WorkloadCredentials credentials = WorkloadCredentials.of(wit.textValue(), key.signer());
        if (!clock.instant().isBefore(credentials.expiresAt())) {
            throw new IdentityServerException(200, null, "the issued WIT already expired at " + credentials.expiresAt());
        }
        if (export != null) {
            export.issued(credentials, key);
        }
        return credentials;
    }

    /** The proof of possession of the new key, for {@code <base>/v1/wit}. */
    private String proof(WorkloadKeyPair key) {
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        ObjectNode claims = StrictJson.mapper().createObjectNode();
        claims.put("aud", endpoint.toString());
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(PROOF_TTL).getEpochSecond());
        claims.put("jti", JwsWriter.randomJwtId());
        return JwsWriter.sign(key.signer(), PROOF_TYP, claims);
    }
}
