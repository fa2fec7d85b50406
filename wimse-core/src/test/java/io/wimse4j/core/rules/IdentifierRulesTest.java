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
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.Optional;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

/** Workload identifiers and trust domains: ID-1..ID-4. */
class IdentifierRulesTest {

    @Test
    void ID_1_wimseAndSpiffeIdentifiersParseIntoTrustDomainAndPath() throws WimseException {
        WorkloadIdentifier w = WorkloadIdentifier.parse("wimse://example.com/specific-workload");
        assertThat(w.scheme()).isEqualTo("wimse");
        assertThat(w.trustDomain()).isEqualTo(new TrustDomain("example.com"));
        assertThat(w.path()).isEqualTo("/specific-workload");
        assertThat(w.value()).isEqualTo("wimse://example.com/specific-workload");
        WorkloadIdentifier s = WorkloadIdentifier.parse("spiffe://prod.acme/ns/web/sa/front");
        assertThat(s.scheme()).isEqualTo("spiffe");
        assertThat(s.trustDomain().name()).isEqualTo("prod.acme");
        assertThat(WorkloadIdentifier.parse("wimse://example.com/a%2Fb/c:d@e").path()).isEqualTo("/a%2Fb/c:d@e");
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

    @Test
    void ID_1_identifiersLongerThan2048BytesAreRejected() throws WimseException {
        String base = "wimse://example.com/";
        String ok = base + "a".repeat(2048 - base.length());
        assertThat(WorkloadIdentifier.parse(ok).value()).hasSize(2048);
        assertRejected(() -> WorkloadIdentifier.parse(ok + "a"), Reason.INVALID_IDENTIFIER);
        String multiByte = base + "%C3%A9".repeat(100) + "é".repeat(1000);
        assertRejected(() -> WorkloadIdentifier.parse(multiByte), Reason.INVALID_IDENTIFIER);
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

    @Test
    void ID_4_handlesMapToIdentifiersByHostAndLongestPathPrefix() throws WimseException {
        WorkloadIdentifier orders = WorkloadIdentifier.parse("wimse://example.com/orders");
        WorkloadIdentifier admin = WorkloadIdentifier.parse("wimse://example.com/orders-admin");
        WorkloadIdentifier gw = WorkloadIdentifier.parse("wimse://example.com/gateway");
        StaticIdentifierResolver r = StaticIdentifierResolver.builder()
                .map("gw.example.com", gw)
                .map("gw.example.com", "/orders", orders)
                .map("gw.example.com", "/orders/admin", admin)
                .build();
        assertThat(r.resolve(URI.create("https://GW.example.com/orders/42"))).contains(orders);
        assertThat(r.resolve(URI.create("https://gw.example.com/orders/admin/x"))).contains(admin);
        assertThat(r.resolve(URI.create("https://gw.example.com/ordersX"))).contains(gw);
        assertThat(r.resolve(URI.create("https://other.example.com/orders"))).isEqualTo(Optional.empty());
    }
}
