package io.wimse4j.spring;

import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.WitIssuer;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.WorkloadCredentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** One trust domain's issuer, real-time WITs for test workloads, and its JWKS written to a file. */
public final class TestIdentities {
    public static final TrustDomain TD = new TrustDomain("example.org");
    public static final String CALLER = "wimse://example.org/svc/caller";
    public static final String OTHER = "wimse://example.org/svc/other";

    public final WorkloadKeyPair issuerKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
    public final WitIssuer issuer = WitIssuer.builder().signer(issuerKey.signer()).trustDomain(TD)
            .issuer("https://wimse.example.org").defaultTtl(Duration.ofMinutes(30)).build();
    public final Path bundleFile;

    public TestIdentities() {
        try {
            bundleFile = Files.createTempFile("wimse-bundle", ".json");
            Files.writeString(bundleFile, "{\"keys\":[" + issuerKey.publicJwk().toJson() + "]}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bundleFile.toFile().deleteOnExit();
    }

    /** Fresh credentials of {@code workload}, with a new key (KEY-4). */
    public WorkloadCredentials credentials(String workload) {
        try {
            WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
            return WorkloadCredentials.of(issuer.issue(WorkloadIdentifier.parse(workload), key.publicJwk()).token(), key.signer());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public CredentialSource source(String workload) {
        return CredentialSource.fixed(credentials(workload));
    }
}
