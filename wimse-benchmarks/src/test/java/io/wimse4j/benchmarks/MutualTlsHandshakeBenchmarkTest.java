package io.wimse4j.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The handshake the benchmark measures completes both ways, and a client without the CA's trust fails it. */
class MutualTlsHandshakeBenchmarkTest {
    @Test
    void MT_2_bothHandshakesCompleteAndAMismatchedPairDoesNot() throws Exception {
        MutualTlsHandshakeBenchmark.Contexts c = new MutualTlsHandshakeBenchmark.Contexts();
        c.make();
        MutualTlsHandshakeBenchmark b = new MutualTlsHandshakeBenchmark();
        assertThat(b.mtlsHandshakeWimse(c)).isTrue();
        assertThat(b.mtlsHandshakeJdk(c)).isTrue();
        MutualTlsHandshakeBenchmark.Contexts other = new MutualTlsHandshakeBenchmark.Contexts();
        other.make(); // another CA: neither side trusts the other's certificate
        assertThatThrownBy(() -> MutualTlsHandshakeBenchmark.handshake(c.wimseClient, other.wimseServer))
                .isInstanceOf(javax.net.ssl.SSLException.class);
    }
}
