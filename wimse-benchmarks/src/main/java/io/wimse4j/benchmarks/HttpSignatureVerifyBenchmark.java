package io.wimse4j.benchmarks;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.httpsig.ContentDigest;
import io.wimse4j.httpsig.HttpSignatureSigner;
import io.wimse4j.httpsig.HttpSignatureVerifier;
import io.wimse4j.httpsig.VerifiedSignedRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * draft-ietf-wimse-http-signature on the receiving side: {@link HttpSignatureVerifier#verifyRequest} on a
 * signed {@code GET} without a body (covered: {@code @method @path @query workload-identity-token}), the WIT
 * issued by an ES256 key and already in the WIT cache, the message signed by the workload key
 * ({@code workloadAlg} EdDSA or ES256), replay protection on (the verifier's default in-memory cache).
 *
 * <p>As in {@link RequestVerifyBenchmark}, every request needs a nonce the verifier has not seen: a pool of
 * requests, each signed with its own random nonce, is made once per trial (on all cores, not measured), and
 * each iteration gets a new verifier (empty replay and WIT caches); the first request of the pool fills the WIT
 * cache and the measured loop consumes the rest in order. Its size is {@code -Dwimse.bench.pool} (default
 * 150000); running out fails the benchmark rather than measuring refused replays. {@code RatioReport} divides
 * the score by one bare verification of {@code workloadAlg} ({@code bareBcVerifyEd25519} or
 * {@code bareBcVerifyEs256}; target: at least 0.85).
 *
 * <p>{@code contentDigestOf} and {@code contentDigestVerify} are {@link ContentDigest#of} and
 * {@link ContentDigest#verify} on a body of {@code bodySize} bytes (HS-5), against {@code bareSha256}, one
 * JDK {@code MessageDigest} SHA-256 (reused) of the same bytes.
 */
public class HttpSignatureVerifyBenchmark extends BenchmarkDefaults {
    /** Signed requests with distinct nonces, consumed in order, and the verifier of the current iteration. */
    @State(Scope.Thread)
    public static class SignedPool {
        @Param({"EdDSA", "ES256"})
        public String workloadAlg;
        Fixture fixture;
        HttpRequestFacts[] requests;
        HttpSignatureVerifier verifier;
        int next;

        @Setup(Level.Trial)
        public void makePool() {
            fixture = new Fixture(JwsAlgorithm.ES256, JwsAlgorithm.valueOf(workloadAlg));
            HttpSignatureSigner signer = HttpSignatureSigner.builder(CredentialSource.fixed(fixture.credentials))
                    .clock(Fixture.CLOCK).build();
            HttpRequestFacts unsigned = HttpRequestFacts.builder("GET", Fixture.TARGET).header("Accept", "application/json").build();
            requests = IntStream.range(0, RequestVerifyBenchmark.POOL_SIZE).parallel().mapToObj(i -> {
                try {
                    return signer.signRequest(unsigned, null).request();
                } catch (WimseException e) {
                    throw new IllegalStateException(e);
                }
            }).toArray(HttpRequestFacts[]::new);
        }

        @Setup(Level.Iteration)
        public void newVerifier() throws WimseException {
            verifier = HttpSignatureVerifier.builder().trust(fixture.trust).clock(Fixture.CLOCK).build();
            verifier.verifyRequest(requests[0], null); // fills the WIT cache; nonce 0 is now used
            next = 1;
        }

        VerifiedSignedRequest verifyNext() throws WimseException {
            if (next == requests.length) {
                throw new IllegalStateException("signed-request pool of " + requests.length
                        + " exhausted within one iteration; raise -Dwimse.bench.pool");
            }
            return verifier.verifyRequest(requests[next++], null);
        }
    }

    /** A random body of {@code bodySize} bytes, its {@code Content-Digest}, and a reused SHA-256. */
    @State(Scope.Thread)
    public static class Body {
        @Param({"1024", "65536"})
        public int bodySize;
        byte[] body;
        List<String> digest;
        MessageDigest sha256;

        @Setup(Level.Trial)
        public void makeBody() throws NoSuchAlgorithmException, WimseException {
            body = new byte[bodySize];
            new Random(bodySize).nextBytes(body);
            digest = List.of(ContentDigest.of(body));
            sha256 = MessageDigest.getInstance("SHA-256");
            ContentDigest.verify(digest, body);
        }
    }

    /** Full verification of a signed request, WIT cached, replay check on: one signature check (HS-1..HS-8). */
    @Benchmark
    public VerifiedSignedRequest httpsigVerifyCachedWit(SignedPool s) throws WimseException {
        return s.verifyNext();
    }

    /** The {@code Content-Digest} value of the body ({@code sha-256=:<base64>:}). */
    @Benchmark
    public String contentDigestOf(Body b) {
        return ContentDigest.of(b.body);
    }

    /** Parsing the {@code Content-Digest} field and recomputing the body's digest (HS-5). */
    @Benchmark
    public List<String> contentDigestVerify(Body b) throws WimseException {
        ContentDigest.verify(b.digest, b.body);
        return b.digest;
    }

    /** The baseline: one bare SHA-256 of the body, with a reused {@code MessageDigest}. */
    @Benchmark
    public byte[] bareSha256(Body b) {
        return b.sha256.digest(b.body);
    }
}
