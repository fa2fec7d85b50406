package io.wimse4j.benchmarks;

import io.wimse4j.core.jose.JwsAlgorithm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The sender's cost: one WPT (claims JSON, random {@code jti}, {@code wth} hash, Ed25519
 * signature, base64url) with an EdDSA workload key. Compare with {@code bareBcSignEd25519}.
 */
@State(Scope.Thread)
public class WptCreateBenchmark extends BenchmarkDefaults {
    private Fixture fixture;

    @Setup(Level.Trial)
    public void setUp() {
        fixture = new Fixture(JwsAlgorithm.ES256, JwsAlgorithm.EdDSA);
    }

    @Benchmark
    public String wptCreate() {
        return fixture.newProof();
    }
}
