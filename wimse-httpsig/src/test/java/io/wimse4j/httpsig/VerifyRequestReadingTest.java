package io.wimse4j.httpsig;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.testkit.Fixture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link HttpSignatureVerifier#verifyRequestReading}: the body is read only once the signature over the
 * headers verified (HS-5, HS-7), exactly once, and what reading it throws comes out as it was.
 */
class VerifyRequestReadingTest {
    private static final URI TARGET = URI.create("https://api.example.org/orders");
    private static final byte[] BODY = "{\"amount\":42}".getBytes(StandardCharsets.UTF_8);

    private final Fixture f = new Fixture();
    private final AtomicInteger reads = new AtomicInteger();

    private HttpSignatureVerifier verifier() {
        return HttpSignatureVerifier.builder().trust(f.trust()).clock(f.clock).build();
    }

    private HttpRequestFacts signed(CredentialSource credentials, byte[] signedBody) throws WimseException {
        HttpRequestFacts request = HttpRequestFacts.builder("POST", TARGET).header("Content-Type", "application/json").build();
        return HttpSignatureSigner.builder(credentials).clock(f.clock).build().signRequest(request, signedBody).request();
    }

    private MessageBody counting(byte[] bytes) {
        return () -> {
            reads.incrementAndGet();
            return bytes;
        };
    }

    @Test
    void HS_5_aVerifiedRequestsBodyIsReadOnceAndChecked() throws Exception {
        HttpRequestFacts request = signed(CredentialSource.fixed(f.credentials()), BODY);
        VerifiedSignedRequest v = verifier().verifyRequestReading(request, counting(BODY));
        assertThat(v.workload()).isEqualTo(f.workload);
        assertThat(reads).hasValue(1);
    }

    @Test
    void HS_7_aForgedSignatureIsRefusedWithoutReadingTheBody() throws Exception {
        HttpRequestFacts request = signed(CredentialSource.fixed(f.credentials()), BODY);
        HttpRequestFacts.Builder forged = HttpRequestFacts.builder("POST", TARGET);
        request.headers().forEach((k, vs) -> vs.forEach(v -> forged.header(k, k.equals("signature") ? flipped(v) : v)));
        assertThatThrownBy(() -> verifier().verifyRequestReading(forged.build(), counting(BODY)))
                .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
        assertThat(reads).hasValue(0);
    }

    /** The {@code Signature} value {@code label=:base64:} with one bit of its first signature byte flipped. */
    private static String flipped(String signature) {
        int start = signature.indexOf(':') + 1;
        byte[] sig = java.util.Base64.getDecoder().decode(signature.substring(start, signature.lastIndexOf(':')));
        sig[0] ^= 1;
        return signature.substring(0, start) + java.util.Base64.getEncoder().encodeToString(sig) + ":";
    }

    @Test
    void HS_7_aRequestWithoutWitIsRefusedWithoutReadingTheBody() throws Exception {
        HttpRequestFacts request = signed(CredentialSource.fixed(f.credentials()), BODY);
        HttpRequestFacts.Builder noWit = HttpRequestFacts.builder("POST", TARGET);
        request.headers().forEach((k, vs) -> vs.forEach(v -> {
            if (!k.equals("workload-identity-token")) {
                noWit.header(k, v);
            }
        }));
        assertThatThrownBy(() -> verifier().verifyRequestReading(noWit.build(), counting(BODY)))
                .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_WIT));
        assertThat(reads).hasValue(0);
    }

    @Test
    void HS_5_aBodyWithoutDigestIsRefusedAfterReadingAndTheNonceIsNotSpent() throws Exception {
        HttpRequestFacts signedWithoutBody = signed(CredentialSource.fixed(f.credentials()), null);
        HttpSignatureVerifier verifier = verifier();
        assertThatThrownBy(() -> verifier.verifyRequestReading(signedWithoutBody, counting(BODY)))
                .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_CONTENT_DIGEST));
        assertThat(reads).hasValue(1);
        // refused after reading, before the replay check: the same request with no body is still accepted once
        assertThat(verifier.verifyRequestReading(signedWithoutBody, counting(new byte[0])).workload()).isEqualTo(f.workload);
    }

    @Test
    void HS_5_aTamperedBodyIsRefusedAfterReading() throws Exception {
        HttpRequestFacts request = signed(CredentialSource.fixed(f.credentials()), BODY);
        assertThatThrownBy(() -> verifier().verifyRequestReading(request, counting("{\"amount\":4200}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONTENT_DIGEST_MISMATCH));
    }

    @Test
    void whatReadingThrowsComesOutAsItWas() throws Exception {
        HttpRequestFacts request = signed(CredentialSource.fixed(f.credentials()), BODY);
        IOException broken = new IOException("connection reset");
        assertThatThrownBy(() -> verifier().verifyRequestReading(request, () -> {
            throw broken;
        })).isSameAs(broken);
        assertThatThrownBy(() -> verifier().verifyRequestReading(request, () -> {
            throw new WimseException(Reason.BODY_TOO_LARGE, "past the limit");
        })).isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BODY_TOO_LARGE));
    }
}
