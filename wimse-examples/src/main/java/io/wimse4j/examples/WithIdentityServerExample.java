package io.wimse4j.examples;

import io.wimse4j.client.HttpJwksTrustBundleSource;
import io.wimse4j.client.IdentityServerCredentialSource;
import io.wimse4j.client.InitialAttestation;
import io.wimse4j.client.TlsTrust;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.wpt.RequestSigner;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * Both sides with a running Identity Server ({@code wimse-server}): the calling workload gets its
 * WITs from it, the receiving workload its trust bundles from the servers' published JWKS.
 */
public final class WithIdentityServerExample {
    private WithIdentityServerExample() {
    }

    /** The calling side: its credential source (close it to stop its background thread) and the signer over it. */
    public record Caller(IdentityServerCredentialSource credentials, RequestSigner signer) implements AutoCloseable {
        @Override
        public void close() {
            credentials.close();
        }
    }

    /** The receiving side: its trust bundle source (close it to stop its refresh thread) and the verifier over it. */
    public record Receiver(HttpJwksTrustBundleSource trust, RequestVerifier verifier) implements AutoCloseable {
        @Override
        public void close() {
            trust.close();
        }
    }

    /**
     * A signer whose credentials come from the Identity Server at {@code identityServer}, first
     * attested with the one-time join token in {@code joinTokenFile}, over TLS trusting the CA
     * certificates in {@code caPemFile}.
     */
    public static Caller caller(URI identityServer, Path caPemFile, Path joinTokenFile)
            throws IOException, GeneralSecurityException {
        // tag::identity-server-credentials[]
        SSLContext serverCa = TlsTrust.fromCaPem(caPemFile);                // e.g. ca.pem, the server's GET /ca.pem
        IdentityServerCredentialSource credentials = IdentityServerCredentialSource
                .builder(identityServer,                                       // its external base URI, e.g. https://wimse.example.com
                         InitialAttestation.joinTokenFile(joinTokenFile))      // or kubernetesTokenFile(...)
                .sslContext(serverCa)
                .build();                                                      // daemon thread; close() stops it
        RequestSigner signer = RequestSigner.builder().credentials(credentials).build();
        // end::identity-server-credentials[]
        return new Caller(credentials, signer);
    }

    /**
     * A verifier trusting {@code example.com} as published by {@code identityServer} and
     * {@code partner.example} as published by {@code partnerServer}, over TLS with {@code serverCa}.
     */
    public static Receiver receiver(URI identityServer, URI partnerServer, SSLContext serverCa) {
        // tag::jwks-trust[]
        // identityServer: e.g. https://wimse.example.com; partnerServer: e.g. https://id.partner.example
        HttpJwksTrustBundleSource trust = HttpJwksTrustBundleSource.builder()
                .trustDomain(new TrustDomain("example.com"), identityServer.resolve("/.well-known/jwks.json"))
                .trustDomain(new TrustDomain("partner.example"), partnerServer.resolve("/.well-known/jwks.json"))
                .sslContext(serverCa)
                .build();
        RequestVerifier verifier = RequestVerifier.builder().trust(trust).build();
        // end::jwks-trust[]
        return new Receiver(trust, verifier);
    }
}
