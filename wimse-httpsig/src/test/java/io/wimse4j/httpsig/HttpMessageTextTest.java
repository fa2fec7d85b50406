package io.wimse4j.httpsig;

import io.wimse4j.core.request.HttpRequestFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing HTTP/1.1 message text (the draft's examples, {@code wimse httpsig}): one row per form, accepted or refused. */
class HttpMessageTextTest {
    record Row(String name, String text, String startLine, List<Map.Entry<String, String>> headers, String body, boolean refused) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Row parses(String name, String text, String startLine, List<Map.Entry<String, String>> headers, String body) {
        return new Row(name, text, startLine, headers, body, false);
    }

    static Row refused(String name, String text) {
        return new Row(name, text, null, null, null, true);
    }

    static Stream<Row> rows() {
        return Stream.of(
                parses("CRLF line ends, no body", "GET /a?b=c HTTP/1.1\r\nHost: svc.example\r\nAccept: */*\r\n\r\n", "GET /a?b=c HTTP/1.1",
                        List.of(Map.entry("Host", "svc.example"), Map.entry("Accept", "*/*")), ""),
                parses("LF line ends, no body", "GET /a HTTP/1.1\nHost: svc.example\n\n", "GET /a HTTP/1.1",
                        List.of(Map.entry("Host", "svc.example")), ""),
                parses("a body of exactly Content-Length bytes, what follows ignored",
                        "POST /p HTTP/1.1\nContent-Length: 5\n\nhello, and more", "POST /p HTTP/1.1",
                        List.of(Map.entry("Content-Length", "5")), "hello"),
                parses("Content-Length 0 → no body", "POST /p HTTP/1.1\nContent-Length: 0\n\nignored", "POST /p HTTP/1.1",
                        List.of(Map.entry("Content-Length", "0")), ""),
                parses("a body without Content-Length → the rest of the text, line ends included",
                        "HTTP/1.1 404 Not Found\nContent-Type: text/plain\n\nNo ice cream today.\n\n", "HTTP/1.1 404 Not Found",
                        List.of(Map.entry("Content-Type", "text/plain")), "No ice cream today.\n\n"),
                parses("only line ends after the header section → no body", "GET / HTTP/1.1\r\nHost: a\r\n\r\n\r\n\n", "GET / HTTP/1.1",
                        List.of(Map.entry("Host", "a")), ""),
                parses("CRLF in the header section, a body with CRLF kept", "POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\na\r\nb",
                        "POST / HTTP/1.1", List.of(Map.entry("Content-Length", "4")), "a\r\nb"),
                parses("field values stripped, names kept as written, repeats kept",
                        "GET / HTTP/1.1\nX-A:   one  \nx-a:two\nX-Empty:\n\n", "GET / HTTP/1.1",
                        List.of(Map.entry("X-A", "one"), Map.entry("x-a", "two"), Map.entry("X-Empty", "")), ""),
                parses("the same Content-Length twice → accepted", "POST / HTTP/1.1\nContent-Length: 2\nContent-Length: 2\n\nab",
                        "POST / HTTP/1.1", List.of(Map.entry("Content-Length", "2"), Map.entry("Content-Length", "2")), "ab"),
                refused("an obsolete line folding (RFC 9112 5.2) → refused", "GET / HTTP/1.1\nX-Fold: a\n  b\n\n"),
                refused("an obsolete line folding with a tab → refused", "GET / HTTP/1.1\nX-Fold: a\n\tb\n\n"),
                refused("Content-Length not a number → refused", "POST / HTTP/1.1\nContent-Length: five\n\nhello"),
                refused("Content-Length negative → refused", "POST / HTTP/1.1\nContent-Length: -1\n\nhello"),
                refused("Content-Length with a sign (no 1*DIGIT, RFC 9110 8.6) → refused", "POST / HTTP/1.1\nContent-Length: +5\n\nhello"),
                refused("Content-Length longer than what follows → refused", "POST / HTTP/1.1\nContent-Length: 6\n\nhello"),
                refused("Content-Length repeated with different values → refused", "POST / HTTP/1.1\nContent-Length: 5\nContent-Length: 4\n\nhello"),
                refused("no empty line after the header section → refused", "GET / HTTP/1.1\nHost: a\n"),
                refused("no start line → refused", "\nHost: a\n\n"),
                refused("a header line without a colon → refused", "GET / HTTP/1.1\nHost a\n\n"),
                refused("a header line without a field name → refused", "GET / HTTP/1.1\n: a\n\n"),
                refused("whitespace between field name and colon (RFC 9112 5.1) → refused", "GET / HTTP/1.1\nHost : a\n\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void parsesEachFormAndRefusesTheRest(Row row) {
        byte[] text = row.text().getBytes(StandardCharsets.ISO_8859_1);
        if (row.refused()) {
            assertThatThrownBy(() -> HttpMessageText.parse(text)).isInstanceOf(IllegalArgumentException.class);
            return;
        }
        HttpMessageText m = HttpMessageText.parse(text);
        assertThat(m.startLine()).isEqualTo(row.startLine());
        assertThat(m.headers()).containsExactlyElementsOf(row.headers());
        assertThat(new String(m.body(), StandardCharsets.ISO_8859_1)).isEqualTo(row.body());
        assertThat(m.isRequest()).isEqualTo(!row.startLine().startsWith("HTTP/"));
    }

    static HttpMessageText text(String s) {
        return HttpMessageText.parse(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void requestFactsWithABaseUriUseItsSchemeAndAuthorityNeverHost() {
        HttpMessageText m = text("GET /orders/7?expand=items HTTP/1.1\nHost: evil.example.net\nAccept: */*\nACCEPT: text/plain\n\n");
        HttpRequestFacts facts = m.requestFacts(URI.create("https://api.example.org:8443/ignored/path?x"));
        assertThat(facts.method()).isEqualTo("GET");
        assertThat(facts.targetUri()).isEqualTo(URI.create("https://api.example.org:8443/orders/7?expand=items"));
        assertThat(facts.values("accept")).containsExactly("*/*", "text/plain");
        assertThat(facts.values("host")).containsExactly("evil.example.net");
    }

    @Test
    void requestFactsWithoutABaseUriUseHttpsAndTheHostHeader() {
        HttpRequestFacts facts = text("POST /inventory/cones HTTP/1.1\nHost: svcc.example.com:8080\n\n").requestFacts(null);
        assertThat(facts.targetUri()).isEqualTo(URI.create("https://svcc.example.com:8080/inventory/cones"));
        assertThatThrownBy(() -> text("GET / HTTP/1.1\nAccept: */*\n\n").requestFacts(null)).as("no Host")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> text("GET / HTTP/1.1\nHost: a\nHost: b\n\n").requestFacts(null)).as("two Host")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAbsoluteFormTargetIsTheTargetUri() {
        HttpRequestFacts facts = text("GET https://svcb.example.com/gimme-ice-cream?flavor=vanilla HTTP/1.1\nHost: other\n\n")
                .requestFacts(URI.create("https://base.example"));
        assertThat(facts.targetUri()).isEqualTo(URI.create("https://svcb.example.com/gimme-ice-cream?flavor=vanilla"));
    }

    @Test
    void requestFactsRefuseWhatIsNoRequestLine() {
        for (String start : List.of("HTTP/1.1 200 OK", "GET /", "GET  / HTTP/1.1", "GET / HTTP/1.1 extra", "GET / SPDY/3")) {
            HttpMessageText m = text(start + "\nHost: a\n\n");
            assertThatThrownBy(() -> m.requestFacts(null)).as(start).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void responseFactsCarryTheStatusAndHeaders() {
        HttpResponseFacts facts = text("HTTP/1.1 404 Not Found\nContent-Type: text/plain\nVary: a\nVary: b\n\nx").responseFacts();
        assertThat(facts.status()).isEqualTo(404);
        assertThat(facts.values("vary")).containsExactly("a", "b");
        assertThat(text("HTTP/1.1 204\n\n").responseFacts().status()).as("no reason phrase").isEqualTo(204);
        for (String start : List.of("GET / HTTP/1.1", "HTTP/1.1 20 OK", "HTTP/1.1 2000 OK", "HTTP/1.1 abc OK", "HTTP/1.1")) {
            HttpMessageText m = text(start + "\n\n");
            assertThatThrownBy(m::responseFacts).as(start).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void withAddsHeaderLinesAndRoundTrips() {
        HttpMessageText m = text("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbody");
        Map<String, String> added = new LinkedHashMap<>();
        added.put("Signature-Input", "wimse=(\"@method\");created=1");
        added.put("Signature", "wimse=:AAAA:");
        byte[] out = m.with(added);
        assertThat(new String(out, StandardCharsets.ISO_8859_1)).isEqualTo(
                "POST /p HTTP/1.1\nHost: a\nContent-Length: 4\nSignature-Input: wimse=(\"@method\");created=1\nSignature: wimse=:AAAA:\n\nbody");
        HttpMessageText again = HttpMessageText.parse(out);
        assertThat(again.startLine()).isEqualTo(m.startLine());
        assertThat(again.headers()).hasSize(4).startsWith(m.headers().toArray(Map.Entry[]::new));
        assertThat(again.body()).isEqualTo(m.body());
        assertThat(again.values("signature")).containsExactly("wimse=:AAAA:");
        assertThat(HttpMessageText.parse(m.with(Map.of()))).satisfies(same -> assertThat(same.headers()).isEqualTo(m.headers()));
    }

    @Test
    void toStringShowsNoHeaderValueAndBodyIsACopy() {
        HttpMessageText m = text("POST /p HTTP/1.1\nAuthorization: Bearer secret-token\n\nbody");
        assertThat(m.toString()).contains("authorization").doesNotContain("secret-token").doesNotContain("body=body");
        m.body()[0] = 'x';
        assertThat(m.body()[0]).isEqualTo((byte) 'b');
    }

    @Test
    void anOverlongTextIsRefusedBeforeParsing() {
        assertThatThrownBy(() -> HttpMessageText.parse(new byte[HttpMessageText.MAX_LENGTH + 1])).isInstanceOf(IllegalArgumentException.class);
    }
}
