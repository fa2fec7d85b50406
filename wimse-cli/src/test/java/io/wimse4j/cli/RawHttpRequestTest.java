package io.wimse4j.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing raw HTTP/1.1 requests for {@code wimse verify}. */
class RawHttpRequestTest {
    private static RawHttpRequest parse(String s) {
        return RawHttpRequest.parse(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void originFormCombinesWithHostAndKeepsRepeatedHeaders() {
        RawHttpRequest r = parse("POST /a/b?q=1 HTTP/1.1\r\nHost: svc.example:8443\r\nX-A: 1\r\nx-a:  2 \r\n\r\nbody\r\nmore");
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.targetUri()).hasToString("https://svc.example:8443/a/b?q=1");
        assertThat(r.toFacts().values("X-A")).containsExactly("1", "2");
        assertThat(r.body()).isEqualTo("body\r\nmore");
    }

    @Test
    void absoluteFormIsUsedAsIs() {
        RawHttpRequest r = parse("GET http://other.example/x HTTP/1.1\nHost: ignored.example\n\n");
        assertThat(r.targetUri()).hasToString("http://other.example/x");
        assertThat(r.body()).isEmpty();
    }

    @Test
    void rejectsMalformedInput() {
        assertThatThrownBy(() -> parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> parse("GET /x\r\n\r\n")).hasMessageContaining("request line");
        assertThatThrownBy(() -> parse("GET /x HTTP/1.1\r\nno colon here\r\n\r\n")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> parse("GET /x HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n")).hasMessageContaining("folding");
        assertThatThrownBy(() -> parse("GET /x HTTP/1.1\r\n\r\n")).hasMessageContaining("Host");
        assertThatThrownBy(() -> parse("GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> parse("GET x HTTP/1.1\r\nHost: a\r\n\r\n")).hasMessageContaining("origin-form");
        assertThatThrownBy(() -> parse("GET /x HTTP/1.1\r\nBad Name: a\r\n\r\n")).hasMessageContaining("not a header");
    }
}
