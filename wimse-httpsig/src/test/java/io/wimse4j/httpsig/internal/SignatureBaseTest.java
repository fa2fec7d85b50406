package io.wimse4j.httpsig.internal;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.httpsig.HttpResponseFacts;
import io.wimse4j.httpsig.sfv.InnerList;
import io.wimse4j.httpsig.sfv.StructuredFieldException;
import io.wimse4j.httpsig.sfv.StructuredFields;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The value of each covered component (RFC 9421 section 2.1 and 2.2, with the RFC's own examples where it
 * gives them) and the refusal of what wimse4j does not support. The known-answer signature bases of
 * RFC 9421 are in {@link Rfc9421SignatureBaseTest}.
 */
class SignatureBaseTest {
    /** One component of one request: its identifier as serialized, and its value or the refusal. */
    record Row(String name, HttpRequestFacts request, HttpResponseFacts response, String identifier, String value, Reason refusal) {
        @Override
        public String toString() {
            return name;
        }
    }

    static HttpRequestFacts req(String method, String uri, String... headers) {
        HttpRequestFacts.Builder b = HttpRequestFacts.builder(method, URI.create(uri));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b.build();
    }

    static Row value(String name, HttpRequestFacts request, String identifier, String value) {
        return new Row(name, request, null, identifier, value, null);
    }

    static Row refused(String name, HttpRequestFacts request, String identifier, Reason reason) {
        return new Row(name, request, null, identifier, null, reason);
    }

    /** RFC 9421 section 2.2's example request: {@code POST /path?param=value HTTP/1.1}, {@code Host: www.example.com}. */
    static final HttpRequestFacts EXAMPLE = req("POST", "https://www.example.com/path?param=value", "Host", "www.example.com");

    static Stream<Row> derived() {
        return Stream.of(
                value("HS-3 RFC 9421 2.2.1 @method", EXAMPLE, "\"@method\"", "POST"),
                value("HS-3 @method keeps its case (methods are case-sensitive)", req("patch", "https://a.example/"), "\"@method\"", "patch"),
                value("HS-3 RFC 9421 2.2.2 @target-uri", EXAMPLE, "\"@target-uri\"", "https://www.example.com/path?param=value"),
                value("HS-3 @target-uri has no fragment (RFC 9110 7.1)", req("GET", "https://a.example/p?q=1#frag"), "\"@target-uri\"",
                        "https://a.example/p?q=1"),
                value("HS-3 RFC 9421 2.2.3 @authority", EXAMPLE, "\"@authority\"", "www.example.com"),
                value("HS-3 @authority: the host lower-cased", req("GET", "https://WWW.Example.COM/path"), "\"@authority\"", "www.example.com"),
                value("HS-3 @authority: https's default port 443 dropped", req("GET", "https://www.example.com:443/"), "\"@authority\"",
                        "www.example.com"),
                value("HS-3 @authority: http's default port 80 dropped", req("GET", "http://www.example.com:80/"), "\"@authority\"",
                        "www.example.com"),
                value("HS-3 @authority: another port kept", req("GET", "https://www.example.com:8443/"), "\"@authority\"",
                        "www.example.com:8443"),
                value("HS-3 @authority: 443 is no default port of http", req("GET", "http://www.example.com:443/"), "\"@authority\"",
                        "www.example.com:443"),
                value("HS-3 @authority: a host with '_' (no RFC 2396 hostname) lower-cased, default port dropped",
                        req("GET", "https://Svc_B.Example.com:443/"), "\"@authority\"", "svc_b.example.com"),
                value("HS-3 @authority: a host with '_' keeps another port", req("GET", "https://svc_b.example.com:8443/"), "\"@authority\"",
                        "svc_b.example.com:8443"),
                value("HS-3 @authority: no userinfo", req("GET", "https://user@www.example.com/"), "\"@authority\"", "www.example.com"),
                value("HS-3 RFC 9421 2.2.4 @scheme", EXAMPLE, "\"@scheme\"", "https"),
                value("HS-3 @scheme http, lower-cased", req("GET", "HTTP://www.example.com/"), "\"@scheme\"", "http"),
                value("HS-3 RFC 9421 2.2.5 @request-target", EXAMPLE, "\"@request-target\"", "/path?param=value"),
                value("HS-3 @request-target without a query", req("GET", "https://www.example.com/path"), "\"@request-target\"", "/path"),
                value("HS-3 RFC 9421 2.2.6 @path", EXAMPLE, "\"@path\"", "/path"),
                value("HS-3 @path: an empty path is /", req("GET", "https://www.example.com"), "\"@path\"", "/"),
                value("HS-3 @path: percent-encoding kept", req("GET", "https://www.example.com/a%2Fb/c"), "\"@path\"", "/a%2Fb/c"),
                value("HS-3 RFC 9421 2.2.7 @query", req("POST", "https://www.example.com/path?param=value&foo=bar&baz=bat%2Dman"), "\"@query\"",
                        "?param=value&foo=bar&baz=bat%2Dman"),
                value("HS-3 RFC 9421 2.2.7 @query of ?queryString", req("GET", "https://www.example.com/path?queryString"), "\"@query\"",
                        "?queryString"),
                value("HS-3 RFC 9421 2.2.7 @query absent → ?", req("GET", "https://www.example.com/path"), "\"@query\"", "?"),
                value("HS-3 @query empty (a bare ?) → ?", req("GET", "https://www.example.com/path?"), "\"@query\"", "?"),
                refused("HS-3 @query-param (not supported) → MALFORMED_SIGNATURE", EXAMPLE, "\"@query-param\";name=\"param\"",
                        Reason.MALFORMED_SIGNATURE),
                refused("HS-3 an unknown derived component → MALFORMED_SIGNATURE", EXAMPLE, "\"@fragment\"", Reason.MALFORMED_SIGNATURE),
                refused("HS-3 @signature-params as a covered component → MALFORMED_SIGNATURE", EXAMPLE, "\"@signature-params\"",
                        Reason.MALFORMED_SIGNATURE),
                refused("HS-6 @status of a request → MALFORMED_SIGNATURE", EXAMPLE, "\"@status\"", Reason.MALFORMED_SIGNATURE),
                refused("HS-6 ;req in a request's signature → MALFORMED_SIGNATURE", EXAMPLE, "\"@method\";req", Reason.MALFORMED_SIGNATURE));
    }

    /** RFC 9421 section 2.1's example fields (obs-fold aside: an HTTP stack unfolds it, HttpMessageText refuses it). */
    static final HttpRequestFacts FIELDS = req("GET", "https://www.example.com/",
            "Host", "www.example.com",
            "Date", "Tue, 20 Apr 2021 02:07:56 GMT",
            "X-OWS-Header", "   Leading and trailing whitespace.   ",
            "Cache-Control", "max-age=60",
            "Cache-Control", "   must-revalidate",
            "Example-Dict", " a=1,    b=2;x=1;y=2,   c=(a   b   c)",
            "X-Empty-Header", "",
            "X-Tab", "\tvalue\t",
            "X-Empty-First", "",
            "X-Empty-First", " second ",
            "X-Bad", "a\r\nb");

    static Stream<Row> fields() {
        return Stream.of(
                value("HS-3 RFC 9421 2.1 host", FIELDS, "\"host\"", "www.example.com"),
                value("HS-3 RFC 9421 2.1 date", FIELDS, "\"date\"", "Tue, 20 Apr 2021 02:07:56 GMT"),
                value("HS-3 RFC 9421 2.1 leading and trailing whitespace trimmed", FIELDS, "\"x-ows-header\"", "Leading and trailing whitespace."),
                value("HS-3 RFC 9421 2.1 field lines joined with ', '", FIELDS, "\"cache-control\"", "max-age=60, must-revalidate"),
                value("HS-3 RFC 9421 2.1 inner whitespace kept", FIELDS, "\"example-dict\"", "a=1,    b=2;x=1;y=2,   c=(a   b   c)"),
                value("HS-3 RFC 9421 2.1 an empty field value", FIELDS, "\"x-empty-header\"", ""),
                value("HS-3 tabs trimmed like spaces", FIELDS, "\"x-tab\"", "value"),
                value("HS-3 RFC 9421 2.1 an empty first field line still gets its ', '", FIELDS, "\"x-empty-first\"", ", second"),
                refused("HS-3 a field the message lacks → ABSENT_COMPONENT", FIELDS, "\"content-type\"", Reason.ABSENT_COMPONENT),
                refused("HS-3 a field name in upper case → MALFORMED_SIGNATURE", FIELDS, "\"Cache-Control\"", Reason.MALFORMED_SIGNATURE),
                refused("HS-3 a field name that is no token → MALFORMED_SIGNATURE", FIELDS, "\"cache control\"", Reason.MALFORMED_SIGNATURE),
                refused("HS-3 an empty field name → MALFORMED_SIGNATURE", FIELDS, "\"\"", Reason.MALFORMED_SIGNATURE),
                refused("HS-3 a line break in a field value → MALFORMED_SIGNATURE", FIELDS, "\"x-bad\"", Reason.MALFORMED_SIGNATURE),
                refused("HS-3 parameter sf (not supported) → MALFORMED_SIGNATURE", FIELDS, "\"example-dict\";sf", Reason.MALFORMED_SIGNATURE),
                refused("HS-3 parameter key (not supported) → MALFORMED_SIGNATURE", FIELDS, "\"example-dict\";key=\"a\"",
                        Reason.MALFORMED_SIGNATURE),
                refused("HS-3 parameter bs (not supported) → MALFORMED_SIGNATURE", FIELDS, "\"date\";bs", Reason.MALFORMED_SIGNATURE),
                refused("HS-3 parameter tr (not supported) → MALFORMED_SIGNATURE", FIELDS, "\"date\";tr", Reason.MALFORMED_SIGNATURE),
                refused("HS-3 a component identifier that is a token, not a string → MALFORMED_SIGNATURE", FIELDS, "date",
                        Reason.MALFORMED_SIGNATURE));
    }

    static final HttpResponseFacts RESPONSE = HttpResponseFacts.builder(503).header("Content-Type", "application/json").build();

    static Stream<Row> responses() {
        return Stream.of(
                new Row("HS-6 RFC 9421 2.2.9 @status", EXAMPLE, RESPONSE, "\"@status\"", "503", null),
                new Row("HS-6 a response field", EXAMPLE, RESPONSE, "\"content-type\"", "application/json", null),
                new Row("HS-6 a request field of a response (;req)", EXAMPLE, RESPONSE, "\"host\";req", "www.example.com", null),
                new Row("HS-6 @method;req of a response", EXAMPLE, RESPONSE, "\"@method\";req", "POST", null),
                new Row("HS-6 @query;req of a response", EXAMPLE, RESPONSE, "\"@query\";req", "?param=value", null),
                new Row("HS-6 a request component of a response without ;req → MALFORMED_SIGNATURE", EXAMPLE, RESPONSE, "\"@path\"", null,
                        Reason.MALFORMED_SIGNATURE),
                new Row("HS-6 @status;req → MALFORMED_SIGNATURE", EXAMPLE, RESPONSE, "\"@status\";req", null, Reason.MALFORMED_SIGNATURE),
                new Row("HS-6 req=?0 → MALFORMED_SIGNATURE", EXAMPLE, RESPONSE, "\"@method\";req=?0", null, Reason.MALFORMED_SIGNATURE),
                new Row("HS-6 a response field the response lacks → ABSENT_COMPONENT", EXAMPLE, RESPONSE, "\"host\"", null,
                        Reason.ABSENT_COMPONENT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("derived")
    void HS_3_derivedComponentValues(Row row) throws Exception {
        check(row);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void HS_3_fieldComponentValues(Row row) throws Exception {
        check(row);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void HS_6_responseComponentValues(Row row) throws Exception {
        check(row);
    }

    private static void check(Row row) throws StructuredFieldException, WimseException {
        var id = StructuredFields.parseItem(row.identifier());
        if (row.refusal() == null) {
            assertThat(SignatureBase.value(id, row.request(), row.response())).isEqualTo(row.value());
        } else {
            assertThatThrownBy(() -> SignatureBase.value(id, row.request(), row.response()))
                    .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).as(e.detail()).isEqualTo(row.refusal()));
            if (row.identifier().startsWith("\"")) {
                // the same refusal from the whole base, as the verifier meets it
                InnerList input = InnerList.of(java.util.List.of(id));
                assertThatThrownBy(() -> SignatureBase.of(input, row.request(), row.response()))
                        .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(row.refusal()));
            }
        }
    }

    @ParameterizedTest(name = "HS-3 a component covered twice ({0}) → MALFORMED_SIGNATURE")
    @MethodSource("twice")
    void HS_3_aComponentCoveredTwiceIsRefused(String innerList) throws Exception {
        InnerList input = (InnerList) StructuredFields.parseDictionary("s=" + innerList).get("s").orElseThrow();
        assertThatThrownBy(() -> SignatureBase.of(input, FIELDS, null))
                .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_SIGNATURE));
    }

    static Stream<String> twice() {
        return Stream.of("(\"@method\" \"@method\")", "(\"date\" \"host\" \"date\")");
    }

    @ParameterizedTest(name = "a value outside ISO-8859-1 → MALFORMED_SIGNATURE")
    @MethodSource("nonLatin")
    void aCoveredValueOutsideLatin1IsRefused(Map<String, String> header) throws Exception {
        HttpRequestFacts.Builder b = HttpRequestFacts.builder("GET", URI.create("https://www.example.com/"));
        header.forEach(b::header);
        InnerList input = (InnerList) StructuredFields.parseDictionary("s=(\"x-name\")").get("s").orElseThrow();
        assertThatThrownBy(() -> SignatureBase.of(input, b.build(), null))
                .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_SIGNATURE));
    }

    static Stream<Map<String, String>> nonLatin() {
        return Stream.of(Map.of("X-Name", "caf\u00e9 \u20ac"));
    }
}
