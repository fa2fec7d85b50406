package io.wimse4j.core.rules;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.IdentifierSyntax;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Workload identifiers of draft-ietf-wimse-identifier-03: ID3-1 .. ID3-6, the syntax ({@link WorkloadIdentifier},
 * {@link TrustDomain}). One table per rule; a refused row names the detail it must give, so a row refused for
 * another fault than its own fails. What the verifiers do with identifiers (validated before the trust lookup,
 * the IP opt-in on {@code WitVerifier}) is in {@link Identifier03VerifierRulesTest}.
 */
class Identifier03RulesTest {

    /** One row: an identifier and either the trust domain and path it parses into, or the detail it is refused with. */
    record Row(String name, String value, String trustDomain, String path, String detail) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Row ok(String name, String value, String trustDomain, String path) {
        return new Row(name, value, trustDomain, path, null);
    }

    static Row refused(String name, String value, String detail) {
        return new Row(name, value, null, null, detail);
    }

    /** Asserts the row's verdict under {@code syntax}. */
    static void check(Row row, IdentifierSyntax syntax) throws WimseException {
        if (row.detail() == null) {
            WorkloadIdentifier w = WorkloadIdentifier.parse(row.value(), syntax);
            assertThat(w.value()).isEqualTo(row.value());
            assertThat(w.trustDomain().name()).isEqualTo(row.trustDomain());
            assertThat(w.path()).isEqualTo(row.path());
            assertThat(new WorkloadIdentifier(w.scheme(), w.trustDomain(), w.path())).isEqualTo(w);
        } else {
            assertInvalid(() -> WorkloadIdentifier.parse(row.value(), syntax), row.detail());
        }
    }

    /** Asserts that {@code call} is refused with {@link Reason#INVALID_IDENTIFIER} and a detail containing {@code fragment}. */
    static void assertInvalid(ThrowingCallable call, String fragment) {
        assertThatThrownBy(call).isInstanceOfSatisfying(WimseException.class, e -> {
            assertThat(e.reason()).as("reason (detail: %s)", e.detail()).isEqualTo(Reason.INVALID_IDENTIFIER);
            assertThat(e.detail()).contains(fragment);
        });
    }

    // ---- ID3-1 -------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("id31")
    void ID3_1_anAbsoluteUriWithATrustDomainAuthorityAndNoUserinfoPortQueryOrFragment(Row row) throws WimseException {
        check(row, IdentifierSyntax.STRICT);
    }

    static Stream<Row> id31() {
        return Stream.of(
                ok("ID3-1 wimse://example.com/svc → accepted", "wimse://example.com/svc", "example.com", "/svc"),
                refused("ID3-1 empty → refused", "", "empty"),
                refused("ID3-1 a relative reference (no scheme) → refused", "//example.com/svc", "scheme must be"),
                refused("ID3-1 wimse:example.com/svc (no authority) → refused", "wimse:example.com/svc", "scheme must be"),
                refused("ID3-1 wimse:///svc (empty authority) → refused", "wimse:///svc", "trust domain (authority) is empty"),
                refused("ID3-1 userinfo → refused", "wimse://user@example.com/svc", "userinfo is not allowed"),
                refused("ID3-1 userinfo with a password → refused", "spiffe://u:p@example.com/svc", "userinfo is not allowed"),
                refused("ID3-1 a port → refused", "wimse://example.com:443/svc", "a port is not allowed"),
                refused("ID3-1 an empty port (a bare ':') → refused", "wimse://example.com:/svc", "a port is not allowed"),
                refused("ID3-1 a query → refused", "wimse://example.com/svc?x=1", "a query is not allowed"),
                refused("ID3-1 an empty query → refused", "wimse://example.com/svc?", "a query is not allowed"),
                refused("ID3-1 a fragment → refused", "wimse://example.com/svc#f", "a fragment is not allowed"),
                refused("ID3-1 an empty fragment → refused", "spiffe://example.com/svc#", "a fragment is not allowed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("id31Length")
    void ID3_1_identifiersUpToAndIncluding2048OctetsAreAccepted(Row row) throws WimseException {
        check(row, IdentifierSyntax.STRICT);
    }

    static Stream<Row> id31Length() {
        String wimse = "wimse://example.com/";
        String spiffe = "spiffe://example.com/";
        String wimse2048 = wimse + "a".repeat(2048 - wimse.length());
        String spiffe2048 = spiffe + "a".repeat(2048 - spiffe.length());
        return Stream.of(
                ok("ID3-1 wimse, 2048 octets → accepted", wimse2048, "example.com", wimse2048.substring(19)),
                refused("ID3-1 wimse, 2049 octets → refused (longer than 2048 bytes)", wimse2048 + "a", "longer than 2048 bytes"),
                ok("ID3-1 spiffe, 2048 octets → accepted", spiffe2048, "example.com", spiffe2048.substring(20)),
                refused("ID3-1 spiffe, 2049 octets → refused", spiffe2048 + "a", "longer than 2048 bytes"),
                ok("ID3-1 2048 octets in 1014 segments → accepted", wimse + "a/".repeat(1013) + "aa",
                        "example.com", "/" + "a/".repeat(1013) + "aa"),
                refused("ID3-1 2048 characters, 2049 octets (one two-octet character) → refused for its length",
                        wimse + "a".repeat(2048 - wimse.length() - 1) + "é", "longer than 2048 bytes"),
                refused("ID3-1 a 2049-octet identifier with another fault → refused for its length first",
                        "WIMSE://example.com/" + "a".repeat(2029), "longer than 2048 bytes"));
    }

    @Test
    void ID3_1_theConstructorRefusesAnIdentifierLongerThan2048Octets() {
        TrustDomain td = new TrustDomain("example.com");
        String path2048 = "/" + "a".repeat(2048 - "wimse://example.com/".length());
        assertThat(new WorkloadIdentifier("wimse", td, path2048).value()).hasSize(2048);
        assertThatThrownBy(() -> new WorkloadIdentifier("wimse", td, path2048 + "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 2048 bytes");
    }

    // ---- ID3-2 -------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("id32")
    void ID3_2_nonCanonicalIdentifiersAreRefusedNeverNormalizedOrRepaired(Row row) throws WimseException {
        check(row, IdentifierSyntax.STRICT);
        check(row, IdentifierSyntax.LEGACY_IP_TRUST_DOMAINS); // the legacy option repairs nothing either
    }

    static Stream<Row> id32() {
        return Stream.of(
                refused("ID3-2 WIMSE://example.com/a (scheme in upper case) → refused", "WIMSE://example.com/a", "scheme must be"),
                refused("ID3-2 Wimse://example.com/a → refused", "Wimse://example.com/a", "scheme must be"),
                refused("ID3-2 SPIFFE://example.com/a → refused", "SPIFFE://example.com/a", "scheme must be"),
                refused("ID3-2 wimse://Example.com/a (trust domain in mixed case) → refused", "wimse://Example.com/a",
                        "character 'E' at index 0 is not allowed"),
                refused("ID3-2 wimse://EXAMPLE.COM/a → refused", "wimse://EXAMPLE.COM/a", "character 'E' at index 0 is not allowed"),
                refused("ID3-2 wimse://example.com/a%41 (percent-encoded 'A') → refused", "wimse://example.com/a%41",
                        "percent-encoding is not allowed in the path"),
                refused("ID3-2 wimse://example%2Ecom/a (percent-encoded '.') → refused", "wimse://example%2Ecom/a",
                        "percent-encoding is not allowed ('%' at index 7"),
                refused("ID3-2 wimse://example.com//a → refused", "wimse://example.com//a", "an empty path segment (repeated '/')"),
                refused("ID3-2 wimse://example.com/a/ → refused", "wimse://example.com/a/", "a trailing '/' is not allowed"),
                refused("ID3-2 wimse://example.com/./a → refused", "wimse://example.com/./a", "dot segments ('.', '..') are not allowed"),
                refused("ID3-2 wimse://example.com/a/../b → refused", "wimse://example.com/a/../b", "dot segments"),
                refused("ID3-2 wimse://example.com./a (trailing dot) → refused", "wimse://example.com./a", "must not end with a dot"),
                refused("ID3-2 a leading space → refused, not trimmed", " wimse://example.com/a", "scheme must be"),
                refused("ID3-2 a trailing space → refused, not trimmed", "wimse://example.com/a ", "character ' ' is not allowed"),
                refused("ID3-2 a trailing newline → refused, not trimmed", "wimse://example.com/a\n", "character '\\u000a'"),
                refused("ID3-2 spiffe://Example.com/a → refused", "spiffe://Example.com/a", "character 'E' at index 0"),
                refused("ID3-2 spiffe://example.com/a/ → refused", "spiffe://example.com/a/", "a trailing '/' is not allowed"));
    }

    @Test
    void ID3_2_identifiersCompareByteForByte() throws WimseException {
        WorkloadIdentifier a = WorkloadIdentifier.parse("wimse://example.com/svc/a");
        assertThat(a).isEqualTo(WorkloadIdentifier.parse("wimse://example.com/svc/a"))
                .hasSameHashCodeAs(WorkloadIdentifier.parse("wimse://example.com/svc/a"))
                .isEqualTo(new WorkloadIdentifier("wimse", new TrustDomain("example.com"), "/svc/a"));
        // paths are case-sensitive, and nothing is equal that is spelled differently
        assertThat(a).isNotEqualTo(WorkloadIdentifier.parse("wimse://example.com/svc/A"))
                .isNotEqualTo(WorkloadIdentifier.parse("wimse://example.com/Svc/a"))
                .isNotEqualTo(WorkloadIdentifier.parse("spiffe://example.com/svc/a"))
                .isNotEqualTo(WorkloadIdentifier.parse("wimse://example.com/svc/a/b"))
                .isNotEqualTo(WorkloadIdentifier.parse("wimse://example.co/svc/a"));
        // the value kept is the string received
        String raw = "wimse://a-b_c.example.com/A~b.C-d_E";
        assertThat(WorkloadIdentifier.parse(raw).value()).isEqualTo(raw);
        assertThat(WorkloadIdentifier.parse(raw).toString()).isEqualTo(raw);
    }

    // ---- ID3-3 -------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("id33")
    void ID3_3_wimseSchemeAndTrustDomainSyntax(Row row) throws WimseException {
        check(row, IdentifierSyntax.STRICT);
    }

    static Stream<Row> id33() {
        return Stream.of(
                ok("ID3-3 lower-case letters, digits, '.', '-', '_' → accepted", "wimse://a-1.b_2.example/x", "a-1.b_2.example", "/x"),
                ok("ID3-3 one label → accepted", "wimse://localdomain/x", "localdomain", "/x"),
                ok("ID3-3 255 characters → accepted", "wimse://" + "a".repeat(255) + "/x", "a".repeat(255), "/x"),
                refused("ID3-3 256 characters → refused", "wimse://" + "a".repeat(256) + "/x", "longer than 255 characters"),
                refused("ID3-3 an upper-case letter → refused", "wimse://exAmple.com/x", "character 'A' at index 2 is not allowed"),
                refused("ID3-3 percent-encoding → refused", "wimse://ex%61mple.com/x", "percent-encoding is not allowed ('%' at index 2"),
                refused("ID3-3 '+' → refused", "wimse://a+b.example/x", "character '+' at index 1 is not allowed"),
                refused("ID3-3 '~' → refused", "wimse://a~b.example/x", "character '~' at index 1 is not allowed"),
                refused("ID3-3 a non-ASCII letter → refused", "wimse://exämple.com/x", "character '\\u00e4' at index 2"),
                refused("ID3-3 a trailing dot → refused", "wimse://example.com./x", "a wimse trust domain must not end with a dot"),
                refused("ID3-3 only a dot → refused", "wimse://./x", "must not end with a dot"),
                refused("ID3-3 an empty label (a..b) → refused", "wimse://a..b/x", "a wimse trust domain must not have an empty label"),
                refused("ID3-3 a leading dot → refused", "wimse://.example.com/x", "must not have an empty label"),
                refused("ID3-3 wimse:/ (one slash) → refused", "wimse:/example.com/x", "scheme must be 'wimse://' or 'spiffe://'"),
                refused("ID3-3 another scheme → refused", "https://example.com/x", "scheme must be 'wimse://' or 'spiffe://'"));
    }

    @Test
    void ID3_3_theWimseTrustDomainRulesHoldForIdentifiersBuiltFromParts() {
        assertThatThrownBy(() -> new WorkloadIdentifier("wimse", new TrustDomain("example.com."), "/x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not end with a dot");
        assertThatThrownBy(() -> new WorkloadIdentifier("wimse", new TrustDomain("a..b"), "/x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not have an empty label");
        assertThatThrownBy(() -> new TrustDomain("Example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("character 'E' at index 0");
        assertInvalid(() -> TrustDomain.parse("ex%61mple.com"), "percent-encoding is not allowed");
        assertInvalid(() -> WorkloadIdentifier.of("WIMSE", "example.com", "/x"), "scheme must be");
    }

    // ---- ID3-4 -------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("id34")
    void ID3_4_wimsePathsAreSegmentsOfUnreservedCharacters(Row row) throws WimseException {
        check(row, IdentifierSyntax.STRICT);
    }

    static Stream<Row> id34() {
        String td = "wimse://example.com";
        return Stream.of(
                ok("ID3-4 one segment → accepted", td + "/a", "example.com", "/a"),
                ok("ID3-4 every unreserved character → accepted", td + "/AZaz09-._~", "example.com", "/AZaz09-._~"),
                ok("ID3-4 several segments → accepted", td + "/ns/prod/sa/web", "example.com", "/ns/prod/sa/web"),
                ok("ID3-4 '...' (not a dot segment) → accepted", td + "/.../a", "example.com", "/.../a"),
                ok("ID3-4 '.a' and 'a.' → accepted", td + "/.a/a.", "example.com", "/.a/a."),
                refused("ID3-4 no path → refused", td, "a wimse identifier needs a path of at least one non-empty segment"),
                refused("ID3-4 the path '/' → refused", td + "/", "a wimse identifier needs a path of at least one non-empty segment"),
                refused("ID3-4 a leading '//' → refused", td + "//a", "an empty path segment (repeated '/')"),
                refused("ID3-4 a repeated slash → refused", td + "/a//b", "an empty path segment (repeated '/')"),
                refused("ID3-4 a trailing slash → refused", td + "/a/b/", "a trailing '/' is not allowed"),
                refused("ID3-4 a '.' segment → refused", td + "/a/./b", "dot segments ('.', '..') are not allowed"),
                refused("ID3-4 a '..' segment at the end → refused", td + "/a/..", "dot segments ('.', '..') are not allowed"),
                refused("ID3-4 only '.' → refused", td + "/.", "dot segments ('.', '..') are not allowed"),
                refused("ID3-4 percent-encoding → refused", td + "/a%2Fb", "percent-encoding is not allowed in the path (ID3-4)"),
                refused("ID3-4 a malformed percent-encoding → refused", td + "/%zz", "percent-encoding is not allowed in the path"),
                refused("ID3-4 ':' (a pchar, not unreserved) → refused", td + "/c:d", "character ':' is not allowed in a wimse path"),
                refused("ID3-4 '@' → refused", td + "/d@e", "character '@' is not allowed in a wimse path"),
                refused("ID3-4 '!' → refused", td + "/a!", "character '!' is not allowed in a wimse path"),
                refused("ID3-4 '+' → refused", td + "/a+b", "character '+' is not allowed in a wimse path"),
                refused("ID3-4 '=' and ';' → refused", td + "/a;b=c", "character ';' is not allowed in a wimse path"),
                refused("ID3-4 a space → refused", td + "/a b", "character ' ' is not allowed in a wimse path"),
                refused("ID3-4 a non-ASCII letter → refused", td + "/é", "character '\\u00e9' is not allowed in a wimse path"));
    }

    @Test
    void ID3_4_pathsAreCaseSensitiveAndIdentifiersBuiltFromPartsFollowTheSameRules() throws WimseException {
        assertThat(WorkloadIdentifier.parse("wimse://example.com/Orders"))
                .isNotEqualTo(WorkloadIdentifier.parse("wimse://example.com/orders"));
        TrustDomain td = new TrustDomain("example.com");
        assertThatThrownBy(() -> new WorkloadIdentifier("wimse", td, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a path of at least one");
        assertThatThrownBy(() -> new WorkloadIdentifier("wimse", td, "/a%41"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("percent-encoding is not allowed");
        assertThatThrownBy(() -> new WorkloadIdentifier("wimse", td, "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must start with '/'");
        assertInvalid(() -> WorkloadIdentifier.of("wimse", "example.com", ""), "needs a path of at least one");
    }

    // ---- ID3-5 (syntax; the verifier's opt-in is in Identifier03VerifierRulesTest) -------------------------

    /** One row: a trust domain and its verdict read strictly and with the legacy opt-in (null: accepted). */
    record IpRow(String name, String trustDomain, String strict, String legacy) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String IP = "an IP address is not allowed as a trust domain";
    static final String NUMERIC = "its last label is numeric";

    @ParameterizedTest(name = "{0}")
    @MethodSource("id35")
    void ID3_5_ipAddressesAreNotTrustDomainsUnlessExplicitlyOptedIn(IpRow row) throws WimseException {
        for (String scheme : new String[] {"wimse", "spiffe"}) {
            String id = scheme + "://" + row.trustDomain() + "/svc";
            check(row.strict() == null ? ok(row.name(), id, row.trustDomain(), "/svc") : refused(row.name(), id, row.strict()),
                    IdentifierSyntax.STRICT);
            check(row.legacy() == null ? ok(row.name(), id, row.trustDomain(), "/svc") : refused(row.name(), id, row.legacy()),
                    IdentifierSyntax.LEGACY_IP_TRUST_DOMAINS);
        }
        if (!row.trustDomain().startsWith("[")) { // TrustDomain.parse, as configuration reads a trust domain
            if (row.strict() == null) {
                assertThat(TrustDomain.parse(row.trustDomain()).name()).isEqualTo(row.trustDomain());
            } else {
                assertInvalid(() -> TrustDomain.parse(row.trustDomain()), row.strict());
                assertInvalid(() -> TrustDomain.parse(row.trustDomain(), IdentifierSyntax.STRICT), row.strict());
            }
            if (row.legacy() == null) {
                assertThat(TrustDomain.parse(row.trustDomain(), IdentifierSyntax.LEGACY_IP_TRUST_DOMAINS).name())
                        .isEqualTo(row.trustDomain());
            } else {
                assertInvalid(() -> TrustDomain.parse(row.trustDomain(), IdentifierSyntax.LEGACY_IP_TRUST_DOMAINS), row.legacy());
            }
        }
    }

    static Stream<IpRow> id35() {
        return Stream.of(
                new IpRow("ID3-5 10.0.0.1 → refused; accepted with LEGACY_IP_TRUST_DOMAINS", "10.0.0.1", IP, null),
                new IpRow("ID3-5 0.0.0.0 → refused; accepted with LEGACY_IP_TRUST_DOMAINS", "0.0.0.0", IP, null),
                new IpRow("ID3-5 255.255.255.255 → refused; accepted with LEGACY_IP_TRUST_DOMAINS", "255.255.255.255", IP, null),
                new IpRow("ID3-5 [::1] (IPv6 literal) → refused, also with LEGACY", "[::1]", "IPv6 literal", "IPv6 literal"),
                new IpRow("ID3-5 [2001:db8::1] → refused, also with LEGACY", "[2001:db8::1]", "IPv6 literal", "IPv6 literal"),
                new IpRow("ID3-5 010.0.0.1 (leading zero: octal to inet_aton) → refused, also with LEGACY", "010.0.0.1", NUMERIC, NUMERIC),
                new IpRow("ID3-5 10.1 (short form) → refused, also with LEGACY", "10.1", NUMERIC, NUMERIC),
                new IpRow("ID3-5 167772161 (one number) → refused, also with LEGACY", "167772161", NUMERIC, NUMERIC),
                new IpRow("ID3-5 0x0a.0.0.1 (hexadecimal) → refused, also with LEGACY", "0x0a.0.0.1", NUMERIC, NUMERIC),
                new IpRow("ID3-5 a.0x1f (hexadecimal last label) → refused, also with LEGACY", "a.0x1f", NUMERIC, NUMERIC),
                new IpRow("ID3-5 256.0.0.1 (out of range) → refused, also with LEGACY", "256.0.0.1", NUMERIC, NUMERIC),
                new IpRow("ID3-5 1.2.3.4.5 → refused, also with LEGACY", "1.2.3.4.5", NUMERIC, NUMERIC),
                new IpRow("ID3-5 example.123 (numeric last label) → refused, also with LEGACY", "example.123", NUMERIC, NUMERIC),
                new IpRow("ID3-5 10.0.0.1.example (last label not numeric) → accepted", "10.0.0.1.example", null, null),
                new IpRow("ID3-5 123.example → accepted", "123.example", null, null),
                new IpRow("ID3-5 a.0xg (not hexadecimal) → accepted", "a.0xg", null, null),
                new IpRow("ID3-5 example.com → accepted", "example.com", null, null));
    }

    @Test
    void ID3_5_theTrustDomainRecordAcceptsOnlyWhatSomeSyntaxAccepts() {
        // the constructor cannot take the option: it admits the canonical IPv4 form the opt-in accepts, nothing more
        assertThat(new TrustDomain("10.0.0.1").name()).isEqualTo("10.0.0.1");
        assertThatThrownBy(() -> new TrustDomain("10.1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(NUMERIC);
        assertThatThrownBy(() -> new TrustDomain("[::1]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("character '[' at index 0");
    }

    // ---- ID3-6 -------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("id36")
    void ID3_6_spiffeIdentifiersFollowTheSpiffeIdRules(Row row) throws WimseException {
        check(row, IdentifierSyntax.STRICT);
    }

    static Stream<Row> id36() {
        String td = "spiffe://example.com";
        return Stream.of(
                ok("ID3-6 a trust domain's own ID (empty path) → accepted", td, "example.com", ""),
                ok("ID3-6 segments of letters, digits, '.', '-', '_' → accepted", td + "/ns/Prod-1/sa/web_2.x",
                        "example.com", "/ns/Prod-1/sa/web_2.x"),
                ok("ID3-6 a trailing dot in the trust domain (SPIFFE allows it, wimse does not) → accepted",
                        "spiffe://example.com./a", "example.com.", "/a"),
                refused("ID3-6 the path '/' → refused", td + "/", "a trailing '/' is not allowed (ID3-6)"),
                refused("ID3-6 a trailing slash → refused", td + "/a/", "a trailing '/' is not allowed (ID3-6)"),
                refused("ID3-6 an empty segment → refused", td + "//a", "an empty path segment (repeated '/') is not allowed (ID3-6)"),
                refused("ID3-6 a '.' segment → refused", td + "/./a", "dot segments ('.', '..') are not allowed (ID3-6)"),
                refused("ID3-6 a '..' segment → refused", td + "/a/..", "dot segments ('.', '..') are not allowed (ID3-6)"),
                refused("ID3-6 '~' (unreserved, but not a SPIFFE path character) → refused", td + "/a~b",
                        "character '~' is not allowed in a SPIFFE path"),
                refused("ID3-6 ':' → refused", td + "/pa:th", "character ':' is not allowed in a SPIFFE path"),
                refused("ID3-6 '@' → refused", td + "/pa@th", "character '@' is not allowed in a SPIFFE path"),
                refused("ID3-6 percent-encoding → refused", td + "/a%20b", "percent-encoding is not allowed in the path (ID3-6)"),
                refused("ID3-6 an upper-case trust domain → refused", "spiffe://Example.com/a", "character 'E' at index 0"),
                refused("ID3-6 a port → refused", td + ":8080/a", "a port is not allowed"),
                refused("ID3-6 userinfo → refused", "spiffe://user@example.com/a", "userinfo is not allowed"),
                refused("ID3-6 a query → refused", td + "/a?q=1", "a query is not allowed"),
                refused("ID3-6 an empty trust domain → refused", "spiffe:///a", "trust domain (authority) is empty"),
                refused("ID3-6 spiffe:/ (one slash) → refused", "spiffe:/example.com/a", "scheme must be"),
                refused("ID3-6 SPIFFE:// → refused", "SPIFFE://example.com/a", "scheme must be"));
    }
}
