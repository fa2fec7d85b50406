package io.wimse4j.core.rules;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.IdentifierSyntax;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.TrustBundleSource;
import io.wimse4j.core.wit.VerifiedWit;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.testkit.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static io.wimse4j.testkit.Fixture.same;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Workload identifiers of identifier-03 in the WIT verifier: {@code sub} is validated before its trust domain
 * selects a trust bundle (ID3-2), and a trust domain that is an IP address is refused unless the verifier opts in
 * (ID3-5, {@link WitVerifier.Builder#identifierSyntax(IdentifierSyntax)}). The syntax itself is in
 * {@link Identifier03RulesTest}.
 */
class Identifier03VerifierRulesTest {
    final Fixture f = new Fixture();

    /** A trust bundle source that records every trust domain it is asked for. */
    static final class RecordingSource implements TrustBundleSource {
        final List<TrustDomain> asked = new CopyOnWriteArrayList<>();
        private final TrustBundleSource delegate;

        RecordingSource(TrustBundleSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<TrustBundle> bundleFor(TrustDomain domain) {
            asked.add(domain);
            return delegate.bundleFor(domain);
        }
    }

    /** One row: a WIT {@code sub} (signed with the fixture's issuer key) and the detail it is refused with. */
    record Sub(String name, String sub, String detail) {
        @Override
        public String toString() {
            return name;
        }
    }

    static void assertInvalidIdentifier(WitVerifier verifier, String wit, String fragment) {
        assertThatThrownBy(() -> verifier.verify(wit)).isInstanceOfSatisfying(WimseException.class, e -> {
            assertThat(e.reason()).as("reason (detail: %s)", e.detail()).isEqualTo(Reason.INVALID_IDENTIFIER);
            assertThat(e.detail()).contains(fragment);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSubs")
    void ID3_2_subIsValidatedBeforeAnyTrustBundleIsLookedUp(Sub row) {
        // the source trusts example.org only: the invalid subs in other trust domains would be UNTRUSTED_TRUST_DOMAIN
        RecordingSource trust = new RecordingSource(f.trust());
        WitVerifier verifier = WitVerifier.builder().trust(trust).clock(f.clock).build();
        String wit = f.craftWit(same(), c -> c.put("sub", row.sub()));
        assertInvalidIdentifier(verifier, wit, row.detail());
        assertThat(trust.asked).as("trust domains looked up").isEmpty();
    }

    static Stream<Sub> invalidSubs() {
        return Stream.of(
                new Sub("ID3-2 wimse://Example.net/a (no bundle for its domain) → INVALID_IDENTIFIER, no lookup",
                        "wimse://Example.net/a", "character 'E' at index 0"),
                new Sub("ID3-2 WIMSE://example.net/a → INVALID_IDENTIFIER, no lookup", "WIMSE://example.net/a", "scheme must be"),
                new Sub("ID3-2 wimse://example.net/a/ → INVALID_IDENTIFIER, no lookup", "wimse://example.net/a/",
                        "a trailing '/' is not allowed"),
                new Sub("ID3-2 wimse://example.net//a → INVALID_IDENTIFIER, no lookup", "wimse://example.net//a",
                        "an empty path segment"),
                new Sub("ID3-2 wimse://example.net/a%41 → INVALID_IDENTIFIER, no lookup", "wimse://example.net/a%41",
                        "percent-encoding is not allowed"),
                new Sub("ID3-2 wimse://example.net (no path) → INVALID_IDENTIFIER, no lookup", "wimse://example.net",
                        "needs a path of at least one"),
                new Sub("ID3-2 wimse://10.0.0.9/a (an IP address, strict) → INVALID_IDENTIFIER, no lookup", "wimse://10.0.0.9/a",
                        "an IP address is not allowed as a trust domain"),
                new Sub("ID3-2 wimse://example.org/svc/caller/ (its domain has a bundle) → INVALID_IDENTIFIER, no lookup",
                        "wimse://example.org/svc/caller/", "a trailing '/' is not allowed"),
                new Sub("ID3-2 wimse://example.org./svc/caller (a trailing dot is not repaired) → INVALID_IDENTIFIER, no lookup",
                        "wimse://example.org./svc/caller", "must not end with a dot"));
    }

    @Test
    void ID3_2_aValidSubIsLookedUpByItsExactTrustDomain() throws WimseException {
        // the control of the table above: the recording source does see lookups
        RecordingSource trust = new RecordingSource(f.trust());
        WitVerifier verifier = WitVerifier.builder().trust(trust).clock(f.clock).build();
        String otherDomain = f.craftWit(same(), c -> c.put("sub", "wimse://example.net/a"));
        Fixture.assertRejected(() -> verifier.verify(otherDomain), Reason.UNTRUSTED_TRUST_DOMAIN);
        assertThat(trust.asked).containsExactly(new TrustDomain("example.net"));
        VerifiedWit ok = verifier.verify(f.wit);
        assertThat(ok.subject()).isEqualTo(f.workload);
        assertThat(trust.asked).containsExactly(new TrustDomain("example.net"), f.trustDomain);
    }

    @Test
    void ID3_5_aSubWithAnIpTrustDomainIsRefusedUnlessTheVerifierOptsIn() throws WimseException {
        TrustDomain ip = TrustDomain.parse("10.0.0.1", IdentifierSyntax.LEGACY_IP_TRUST_DOMAINS);
        RecordingSource trust = new RecordingSource(TrustBundleSet.of(Fixture.bundle(ip, f.issuerKey)));
        String wit = f.craftWit(same(), c -> c.put("sub", "wimse://10.0.0.1/svc/legacy"));

        WitVerifier strict = WitVerifier.builder().trust(trust).clock(f.clock).build();
        assertThat(strict.identifierSyntax()).isEqualTo(IdentifierSyntax.STRICT);
        assertInvalidIdentifier(strict, wit, "an IP address is not allowed as a trust domain");
        assertThat(trust.asked).as("no lookup for a refused sub").isEmpty();

        WitVerifier legacy = WitVerifier.builder().trust(trust).clock(f.clock)
                .identifierSyntax(IdentifierSyntax.LEGACY_IP_TRUST_DOMAINS).build();
        assertThat(legacy.identifierSyntax()).isEqualTo(IdentifierSyntax.LEGACY_IP_TRUST_DOMAINS);
        VerifiedWit verified = legacy.verify(wit);
        assertThat(verified.subject())
                .isEqualTo(WorkloadIdentifier.parse("wimse://10.0.0.1/svc/legacy", IdentifierSyntax.LEGACY_IP_TRUST_DOMAINS));
        assertThat(verified.trustDomain()).isEqualTo(ip);
        assertThat(trust.asked).contains(ip);

        // the opt-in accepts the canonical IPv4 form only, and nothing else of identifier-03 changes
        assertInvalidIdentifier(legacy, f.craftWit(same(), c -> c.put("sub", "wimse://10.1/svc")), "its last label is numeric");
        assertInvalidIdentifier(legacy, f.craftWit(same(), c -> c.put("sub", "wimse://[::1]/svc")), "IPv6 literal");
        assertInvalidIdentifier(legacy, f.craftWit(same(), c -> c.put("sub", "wimse://10.0.0.1/svc/")), "a trailing '/'");
    }

    @Test
    void ID3_5_theRequestVerifierPassesTheOptInToItsWitVerifier() throws WimseException {
        TrustDomain ip = TrustDomain.parse("10.0.0.1", IdentifierSyntax.LEGACY_IP_TRUST_DOMAINS);
        TrustBundleSet trust = TrustBundleSet.of(Fixture.bundle(ip, f.issuerKey));
        String wit = f.craftWit(same(), c -> c.put("sub", "wimse://10.0.0.1/svc/legacy"));
        io.wimse4j.core.request.HttpRequestFacts request = f.request(wit, f.craftWpt(wit, same(), same())).build();
        io.wimse4j.core.request.RequestVerifier strict = io.wimse4j.core.request.RequestVerifier.builder().trust(trust)
                .clock(f.clock).build();
        assertThatThrownBy(() -> strict.verify(request)).isInstanceOfSatisfying(WimseException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_IDENTIFIER));
        io.wimse4j.core.request.RequestVerifier legacy = io.wimse4j.core.request.RequestVerifier.builder().trust(trust)
                .clock(f.clock).identifierSyntax(IdentifierSyntax.LEGACY_IP_TRUST_DOMAINS).build();
        assertThat(legacy.verify(request).trustDomain()).isEqualTo(ip);
    }

    @Test
    void theIdentifierSyntaxIsRequired() {
        assertThatThrownBy(() -> WitVerifier.builder().identifierSyntax(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> WorkloadIdentifier.parse("wimse://example.com/a", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TrustDomain.parse("example.com", null)).isInstanceOf(NullPointerException.class);
    }
}
