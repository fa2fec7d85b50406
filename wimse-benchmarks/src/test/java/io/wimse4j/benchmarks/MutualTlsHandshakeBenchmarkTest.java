package io.wimse4j.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The handshake the benchmark measures completes both ways, and a client without the CA's trust fails it. */
class MutualTlsHandshakeBenchmarkTest {
    @Test
    void MT_2_bothHandshakesCompleteAndAMismatchedPairDoesNot() throws Exception {
        MutualTlsHandshakeBenchmark.Credentials k = new MutualTlsHandshakeBenchmark.Credentials();
        k.make();
        MutualTlsHandshakeBenchmark.WimseContexts w = new MutualTlsHandshakeBenchmark.WimseContexts();
        w.make(k);
        MutualTlsHandshakeBenchmark.JdkContexts j = new MutualTlsHandshakeBenchmark.JdkContexts();
        j.make(k);
        MutualTlsHandshakeBenchmark b = new MutualTlsHandshakeBenchmark();
        assertThat(b.mtlsHandshakeWimse(w)).isTrue();
        assertThat(b.mtlsHandshakeJdk(j)).isTrue();
        MutualTlsHandshakeBenchmark.Credentials otherCa = new MutualTlsHandshakeBenchmark.Credentials();
        otherCa.make();
        MutualTlsHandshakeBenchmark.WimseContexts other = new MutualTlsHandshakeBenchmark.WimseContexts();
        other.make(otherCa); // another CA: neither side trusts the other's certificate
        assertThatThrownBy(() -> MutualTlsHandshakeBenchmark.handshake(w.client, other.server))
                .isInstanceOf(javax.net.ssl.SSLException.class);
        MutualTlsHandshakeBenchmark.JdkContexts otherJdk = new MutualTlsHandshakeBenchmark.JdkContexts();
        otherJdk.make(otherCa);
        assertThatThrownBy(() -> MutualTlsHandshakeBenchmark.handshake(j.client, otherJdk.server))
                .isInstanceOf(javax.net.ssl.SSLException.class);
    }
}
