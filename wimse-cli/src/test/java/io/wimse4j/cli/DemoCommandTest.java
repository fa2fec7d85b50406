package io.wimse4j.cli;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wimse demo}: the networked flow (a real Identity Server over HTTPS, a real demo service
 * behind the filter) and the offline walkthrough; every step behaves as described, and no token or
 * key is printed.
 */
class DemoCommandTest {
    /** A base64url run as long as a key or a token segment. */
    private static final Pattern LONG_SECRET = Pattern.compile("[A-Za-z0-9_-]{48,}");

    @Test
    void demoRunsTheWholeFlowOverRealSockets() {
        Cli.Result r = Cli.run("demo");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .containsPattern("An Identity Server for trust domain 'demo.example' is running at https://localhost:\\d+")
                .contains("mints a one-time join token for each")
                .contains("Its WIT names wimse://demo.example/service-a")
                .contains("ACCEPTED: service-b answered 200 and knows its caller is wimse://demo.example/service-a")
                .contains("sent as 'Authorization: WPT <wpt>' (draft-ietf-wimse-wpt-02)")
                .contains("ACCEPTED: service-b answered 200 to the Workload-Proof-Token request too.")
                .contains("REJECTED: service-b answered 401 with 'WWW-Authenticate: WPT' and problem code replay")
                .contains("REJECTED: service-b answered 401 with 'WWW-Authenticate: WPT' and problem code bad-signature")
                .contains("REJECTED: service-b answered 401 with 'WWW-Authenticate: WPT' and problem code unknown-key")
                .contains("ACCEPTED: service-b answered 200 naming wimse://demo.example/service-a, and service-a verified"
                        + " the answer's signature: made with wimse://demo.example/service-b's WIT key and bound to this request")
                .contains("REJECTED: service-b answered 400 with problem code content-digest-mismatch")
                .doesNotContain("UNEXPECTED")
                .endsWith("All steps behaved as expected." + Cli.NL);
        assertThat(LONG_SECRET.matcher(r.out()).find()).as(r.out()).isFalse();
        assertThat(r.out() + r.err()).doesNotContain("eyJ");
    }

    @Test
    void offlineDemoSucceedsStepByStep() {
        Cli.Result r = Cli.run("demo", "--offline");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .contains("ACCEPTED: the caller is wimse://demo.example/service-a")
                .contains("REJECTED with 401 and 'WWW-Authenticate: WPT': REPLAY")
                .containsPattern("REJECTED with 401 and 'WWW-Authenticate: WPT': (BAD_SIGNATURE|UNKNOWN_KEY)")
                .contains("REJECTED with 401 and 'WWW-Authenticate: WPT': AUDIENCE_MISMATCH")
                .doesNotContain("UNEXPECTED")
                .endsWith("Every step behaved as expected." + Cli.NL);
    }

    @Test
    void offlineDemoPrintsNoTokensOrKeys() {
        Cli.Result r = Cli.run("demo", "--offline");
        String withoutKids = r.out().replaceAll("kid [A-Za-z0-9_-]+", "kid <thumbprint>");
        assertThat(LONG_SECRET.matcher(withoutKids).find()).as(r.out()).isFalse();
        assertThat(r.out()).contains("eyJ").contains("…");
    }
}
