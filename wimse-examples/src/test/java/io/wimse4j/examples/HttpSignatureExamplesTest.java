package io.wimse4j.examples;

import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.examples.IdentityServerExample.Issued;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's HTTP Message Signatures examples in a real Jetty on 127.0.0.1: {@link HttpSignatureExample}'s
 * client signs a POST for {@code https://payments.example.com/charge} with a WIT from
 * {@link IdentityServerExample}, its filter verifies it and signs the answer with the service's own WIT,
 * and the client verifies that answer (HS-6).
 */
class HttpSignatureExamplesTest {
    private static final URI CHARGE = URI.create("https://payments.example.com/charge");
    private JettyHarness jetty;

    @AfterEach
    void stop() {
        if (jetty != null) {
            jetty.close();
        }
    }

    @Test
    void HS_6_theSignedRequestIsAcceptedAndItsSignedAnswerVerified() throws Exception {
        Issued issued = IdentityServerExample.issueWit();
        TrustBundleSet trust = TrustBundleSet.of(TrustBundle.fromJwks(new TrustDomain("example.com"), issued.jwksJson()));
        WorkloadKeyPair serviceKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        String serviceWit = issued.issuer().issue(WorkloadIdentifier.parse("wimse://example.com/payments"), serviceKey.publicJwk()).token();
        CredentialSource service = CredentialSource.fixed(WorkloadCredentials.of(serviceWit, serviceKey.signer()));
        jetty = new JettyHarness(HttpSignatureExample.filter(ReceivingWorkloadExample.buildVerifier(issued.jwksJson()), trust, service));
        LoopbackHttpClient http = new LoopbackHttpClient(jetty::local);
        CredentialSource caller = CredentialSource.fixed(WorkloadCredentials.of(issued.wit(), issued.workloadKey().signer()));

        HttpResponse<String> r = HttpSignatureExample.send(http, caller, trust, HttpRequest.newBuilder(CHARGE)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"amount\":42}")).build());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("wimse://example.com/orders|WIMSE-HTTPSIG");
        assertThat(r.headers().firstValue("Signature-Input")).hasValueSatisfying(v -> assertThat(v).contains("wimse-req-nonce="));
        HttpRequest sent = http.sent.get(0);
        assertThat(sent.headers().firstValue("Signature-Input")).hasValueSatisfying(v -> assertThat(v)
                .contains("\"@method\" \"@path\" \"@query\" \"workload-identity-token\" \"content-type\" \"content-digest\"")
                .contains("wimse-aud=\"https://payments.example.com/charge\"").contains("wimse-sign-response"));
        assertThat(sent.headers().firstValue("Workload-Proof-Token")).isEmpty();
    }
}
