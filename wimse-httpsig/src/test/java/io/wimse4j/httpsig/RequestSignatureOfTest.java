package io.wimse4j.httpsig;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.testkit.Fixture;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link RequestSignature#of}: what a client needs to verify the answer, rebuilt from the signed request (HS-6). */
class RequestSignatureOfTest {
    private final Fixture f = new Fixture();

    private RequestSignature sign(SignatureProfile profile, boolean askSigned) throws WimseException {
        return HttpSignatureSigner.builder(CredentialSource.fixed(f.credentials())).clock(f.clock).profile(profile)
                .requestSignedResponses(askSigned).build()
                .signRequest(HttpRequestFacts.builder("GET", URI.create("https://api.example.org/x?y=1")).build(), null);
    }

    @Test
    void HS_6_theNonceTheAskAndTheTargetFormAreReadBackFromTheSignedRequest() throws Exception {
        for (SignatureProfile profile : SignatureProfile.values()) {
            for (boolean ask : new boolean[] {true, false}) {
                RequestSignature sent = sign(profile, ask);
                RequestSignature read = RequestSignature.of(sent.request());
                assertThat(read.nonce()).isEqualTo(sent.nonce());
                assertThat(read.signResponseRequested()).isEqualTo(ask);
                assertThat(read.profile()).isEqualTo(profile);
                assertThat(read.expiresAt()).isEqualTo(sent.expiresAt());
                assertThat(read.headers()).isEqualTo(sent.headers());
            }
        }
    }

    @Test
    void HS_2_anUnsignedRequestHasNoRequestSignature() {
        HttpRequestFacts unsigned = HttpRequestFacts.builder("GET", URI.create("https://api.example.org/x")).build();
        assertThatThrownBy(() -> RequestSignature.of(unsigned)).isInstanceOfSatisfying(WimseException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_SIGNATURE));
    }

    @Test
    void HS_3_aSignatureNotCoveringTheTargetIsRefused() throws Exception {
        RequestSignature sent = sign(SignatureProfile.DRAFT_07, true);
        HttpRequestFacts.Builder b = HttpRequestFacts.builder("GET", sent.request().targetUri());
        sent.request().headers().forEach((k, vs) -> vs.forEach(v -> b.header(k, k.equals("signature-input")
                ? v.replace(" \"@query\"", "") : v)));
        assertThatThrownBy(() -> RequestSignature.of(b.build())).isInstanceOfSatisfying(WimseException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.UNCOVERED_COMPONENT));
    }
}
