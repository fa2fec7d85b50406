package io.wimse4j.server;

import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.server.http.Problem;
import io.wimse4j.server.internal.AttestationMethod;
import io.wimse4j.server.internal.JoinTokenStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code join_token} method: {@code attestation.token} is a one-time join token minted by the
 * admin API; it names the identifier it was minted for. {@link #attest} only looks the token up;
 * {@link #commit} uses it up on disk (so it stays used across a restart or crash), after every other
 * check of the request, and refuses it when a concurrent request used it first. Refusals:
 * {@code malformed-request} (no token), {@code join-token-invalid} (unknown, used or expired).
 */
final class JoinTokenAttestor implements Attestor {
    private final JoinTokenStore joinTokens;

    JoinTokenAttestor(JoinTokenStore joinTokens) {
        this.joinTokens = Objects.requireNonNull(joinTokens, "joinTokens");
    }

    @Override
    public AttestationMethod method() {
        return AttestationMethod.JOIN_TOKEN;
    }

    @Override
    public Attestation attest(AttestationRequest request) throws Problem {
        String token = request.attestationToken();
        WorkloadIdentifier id;
        try {
            id = joinTokens.peek(token);
        } catch (JoinTokenStore.InvalidTokenException e) {
            throw Problem.of(Problem.Code.JOIN_TOKEN_INVALID, e.getMessage());
        }
        return new Attestation(method(), id, Optional.empty(), Optional.of(token));
    }

    @Override
    public void commit(Attestation attestation) throws Problem {
        try {
            joinTokens.consume(attestation.joinToken().orElseThrow());
        } catch (JoinTokenStore.InvalidTokenException e) {
            throw Problem.of(Problem.Code.JOIN_TOKEN_INVALID, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the join token's use", e);
        }
    }
}
