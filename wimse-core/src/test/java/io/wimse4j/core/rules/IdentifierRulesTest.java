package io.wimse4j.core.rules;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.StaticIdentifierResolver;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.WitIssuer;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.testkit.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.Optional;
import java.util.stream.Stream;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Workload identifiers and trust domains: ID-1..ID-4. */
class IdentifierRulesTest {

    /** One row of an accepted-identifier table: the input and what it parses into. */
    record Parsed(String name, String value, String scheme, String trustDomain, String path) {
        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("id1Parsed")
    void ID_1_wimseAndSpiffeIdentifiersParseIntoTrustDomainAndPath(Parsed row) throws WimseException {
        WorkloadIdentifier w = WorkloadIdentifier.parse(row.value());
        assertThat(w.scheme()).isEqualTo(row.scheme());
        assertThat(w.trustDomain()).isEqualTo(new TrustDomain(row.trustDomain()));
        assertThat(w.trustDomain().name()).isEqualTo(row.trustDomain());
        assertThat(w.path()).isEqualTo(row.path());
        assertThat(w.value()).isEqualTo(row.value());
    }

    static Stream<Parsed> id1Parsed() {
        return Stream.of(
                new Parsed("ID-1 wimse://example.com/specific-workload → wimse, example.com, /specific-workload",
                        "wimse://example.com/specific-workload", "wimse", "example.com", "/specific-workload"),
                new Parsed("ID-1 spiffe://prod.acme/ns/web/sa/front → spiffe, prod.acme, /ns/web/sa/front",
                        "spiffe://prod.acme/ns/web/sa/front", "spiffe", "prod.acme", "/ns/web/sa/front"),
                new Parsed("ID-1 a path of unreserved characters → kept as written",
                        "wimse://example.com/A-Z.a_z~0-9/b", "wimse", "example.com", "/A-Z.a_z~0-9/b"));
    }

    @ParameterizedTest(name = "ID-1 invalid identifier \"{0}\" → INVALID_IDENTIFIER")
    @ValueSource(strings = {
            "", "https://example.com/a", "WIMSE://example.com/a", "wimse:example.com/a", "wimse:///a",
            "wimse://example.com/a?x=1", "wimse://example.com/a#f", "wimse://user@example.com/a",
            "wimse://example.com:443/a", "wimse://Example.com/a", "wimse://example.com/a//b",
            "wimse://example.com/a/", "wimse://example.com/./a", "wimse://example.com/a/..",
            "wimse://example.com/a b", "wimse://example.com/%zz", "spiffe://example.com/a%20b",
            "spiffe://example.com/a~b", "wimse://exa mple.com/a"})
    void ID_1_invalidIdentifiersAreRejected(String value) {
        assertRejected(() -> WorkloadIdentifier.parse(value), Reason.INVALID_IDENTIFIER);
    }

    /** One row of the length table: an identifier of a given size, and whether it is too long. */
    record Sized(String name, String value, boolean tooLong) {
        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("id1Sized")
    void ID_1_identifiersLongerThan2048BytesAreRejected(Sized row) throws WimseException {
        if (row.tooLong()) {
            assertRejected(() -> WorkloadIdentifier.parse(row.value()), Reason.INVALID_IDENTIFIER);
            // and for its length, not for another fault of the identifier
            assertThatThrownBy(() -> WorkloadIdentifier.parse(row.value())).isInstanceOfSatisfying(WimseException.class,
                    e -> assertThat(e.detail()).contains("longer than 2048 bytes"));
        } else {
            assertThat(WorkloadIdentifier.parse(row.value()).value()).isEqualTo(row.value()).hasSize(2048);
        }
    }

    static Stream<Sized> id1Sized() {
        String base = "wimse://example.com/";
        String ok = base + "a".repeat(2048 - base.length());
        return Stream.of(
                new Sized("ID-1 exactly 2048 bytes → parsed", ok, false),
                new Sized("ID-1 2049 bytes → INVALID_IDENTIFIER (longer than 2048 bytes)", ok + "a", true),
                new Sized("ID-1 1620 characters, 2620 UTF-8 bytes → INVALID_IDENTIFIER (longer than 2048 bytes)",
                        base + "%C3%A9".repeat(100) + "é".repeat(1000), true));
    }

    @Test
    void ID_2_identifiersCompareWholeNeverByPrefixAndAreScopedByTrustDomain() throws WimseException {
        WorkloadIdentifier a = WorkloadIdentifier.parse("wimse://example.com/svc");
        WorkloadIdentifier ab = WorkloadIdentifier.parse("wimse://example.com/svc/admin");
        WorkloadIdentifier otherDomain = WorkloadIdentifier.parse("wimse://example.net/svc");
        WorkloadIdentifier spiffe = WorkloadIdentifier.parse("spiffe://example.com/svc");
        assertThat(a).isNotEqualTo(ab).isNotEqualTo(otherDomain).isNotEqualTo(spiffe);
        assertThat(a).isEqualTo(WorkloadIdentifier.parse("wimse://example.com/svc"));
        assertThat(a.isMemberOf(new TrustDomain("example.com"))).isTrue();
        assertThat(otherDomain.isMemberOf(new TrustDomain("example.com"))).isFalse();
    }

    @Test
    void ID_3_aWitSignedByAnotherTrustDomainsIssuerFails() throws WimseException {
        Fixture a = new Fixture();
        // trust domain B is trusted with its own key; A's issuer signs a WIT claiming a B identity
        WorkloadKeyPair bKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        TrustDomain b = new TrustDomain("example.net");
        TrustBundleSet both = TrustBundleSet.of(Fixture.bundle(a.trustDomain, a.issuerKey), Fixture.bundle(b, bKey));
        WitVerifier verifier = WitVerifier.builder().trust(both).clock(a.clock).build();
        String forged = a.craftWit(h -> h.remove("kid"), c -> c.put("sub", "wimse://example.net/payments"));
        assertRejected(() -> verifier.verify(forged), Reason.BAD_SIGNATURE);
        String forgedWithKid = a.craftWit(Fixture.same(), c -> c.put("sub", "wimse://example.net/payments"));
        assertRejected(() -> verifier.verify(forgedWithKid), Reason.UNKNOWN_KEY);
        // a trust domain without anchors is refused outright
        WitVerifier onlyA = WitVerifier.builder().trust(a.trust()).clock(a.clock).build();
        assertRejected(() -> onlyA.verify(forged), Reason.UNTRUSTED_TRUST_DOMAIN);
        // and the issuer refuses to sign outside its trust domain
        WitIssuer issuer = a.issuer();
        assertRejected(() -> issuer.issue(WorkloadIdentifier.parse("wimse://example.net/x"), a.workloadKey.publicJwk()),
                Reason.UNTRUSTED_TRUST_DOMAIN);
        // the genuine A identity verifies
        assertThat(verifier.verify(a.wit).subject()).isEqualTo(a.workload);
    }

    /** One row of the ID-4 table: a target URI and the identifier it resolves to, if any. */
    record Resolved(String name, String uri, WorkloadIdentifier expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static WorkloadIdentifier id(String value) {
        try {
            return WorkloadIdentifier.parse(value);
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    static final WorkloadIdentifier ORDERS = id("wimse://example.com/orders");
    static final WorkloadIdentifier ADMIN = id("wimse://example.com/orders-admin");
    static final WorkloadIdentifier GW = id("wimse://example.com/gateway");

    @ParameterizedTest(name = "{0}")
    @MethodSource("id4")
    void ID_4_handlesMapToIdentifiersByHostAndLongestPathPrefix(Resolved row) {
        StaticIdentifierResolver r = StaticIdentifierResolver.builder()
                .map("gw.example.com", GW)
                .map("gw.example.com", "/orders", ORDERS)
                .map("gw.example.com", "/orders/admin", ADMIN)
                .build();
        assertThat(r.resolve(URI.create(row.uri()))).isEqualTo(Optional.ofNullable(row.expected()));
    }

    static Stream<Resolved> id4() {
        return Stream.of(
                new Resolved("ID-4 host in another case, under /orders → the /orders identifier",
                        "https://GW.example.com/orders/42", ORDERS),
                new Resolved("ID-4 under /orders/admin (the longer prefix) → the admin identifier",
                        "https://gw.example.com/orders/admin/x", ADMIN),
                new Resolved("ID-4 /ordersX (a prefix of the string, not of the path) → the host's identifier",
                        "https://gw.example.com/ordersX", GW),
                new Resolved("ID-4 an unmapped host → none", "https://other.example.com/orders", null));
    }
}
