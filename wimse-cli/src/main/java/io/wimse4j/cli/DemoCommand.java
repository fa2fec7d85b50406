package io.wimse4j.cli;

import com.nimbusds.jose.jwk.JWK;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.wit.WitIssuer;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.core.wpt.WptCreator;
import io.wimse4j.core.wpt.WptTransport;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code wimse demo}: the README's main job. By default the whole flow over real sockets
 * ({@link NetworkDemo}: an Identity Server, two registered workloads, service-a calling service-b's
 * demo service with a WIT from the server, then a replay and two forgeries rejected). With
 * {@code --offline}, an in-process walkthrough of the protocol in plain words: a good request
 * (accepted), its replay, one with a forged WIT and one whose proof names another audience (all
 * rejected). Exits 0 only if every step behaved as expected. Tokens and keys are never printed
 * whole.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start an Identity Server, register two workloads and let service-a call service-b's",
                "demo service with a WIT from the server; then show a replay and two forgeries rejected.",
                "With --offline: the same protocol walked through in process, without sockets."})
final class DemoCommand implements Callable<Integer> {
    static final String TRUST_DOMAIN = "demo.example";
    static final String CALLER = "wimse://demo.example/service-a";
    static final String TARGET = "https://service-b.demo.example/orders";
    static final String OTHER_TARGET = "https://service-c.demo.example/admin";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--offline", description = "Walk through the protocol in process, without servers or sockets.")
    private boolean offline;

    private PrintWriter out;
    private int failures;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        if (!offline) {
            // The servers' own INFO lines would drown the story; warnings and errors still show.
            if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
                System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            }
            return new NetworkDemo(out).run() == 0 ? WimseCli.OK : WimseCli.REJECTED;
        }
        TrustDomain domain = TrustDomain.parse(TRUST_DOMAIN);
        WorkloadIdentifier caller = WorkloadIdentifier.parse(CALLER);

        step(1, "The Identity Server of trust domain '" + domain + "' creates its signing key (ES256).");
        WorkloadKeyPair serverKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        say("Its public key (kid " + serverKey.keyId() + ") is what receivers trust for " + domain + ".");
        TrustBundleSet trust = TrustBundleSet.of(
                TrustBundle.fromJwks(domain, "{\"keys\":[" + serverKey.publicJwk().toJson() + "]}"));

        step(2, "Workload " + caller + " creates its own key pair (EdDSA); the private half never leaves it.");
        WorkloadKeyPair workloadKey = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);

        step(3, "The Identity Server issues a Workload Identity Token (WIT) naming the workload and its public key.");
        WitIssuer issuer = WitIssuer.builder().signer(serverKey.signer()).trustDomain(domain)
                .issuer("https://identity.demo.example").build();
        String wit = issuer.issue(caller, workloadKey.publicJwk(), Duration.ofHours(1), Map.of()).token();
        say("WIT: " + Inputs.redact(wit) + " (" + wit.length() + " characters, valid 1 hour)");
        WorkloadCredentials creds = WorkloadCredentials.of(wit, workloadKey.signer());

        step(4, "service-a calls POST " + TARGET + " carrying a Txn-Token.");
        say("For this one request it signs a Workload Proof Token (WPT) with its private key: it names the");
        say("audience, expires in 60 s, and hashes the WIT and the Txn-Token so neither can be swapped.");
        say("It sends the proof as 'Authorization: WPT <wpt>' (draft-ietf-wimse-wpt-02).");
        String txnToken = randomToken();
        WptCreator creator = WptCreator.create();
        ProofBindings binds = new ProofBindings(Optional.empty(), Optional.of(txnToken), Map.of());
        String wpt = creator.create(creds, TARGET, binds);
        say("WPT: " + Inputs.redact(wpt));
        HttpRequestFacts request = request(wit, wpt, txnToken);

        RequestVerifier receiver = RequestVerifier.builder().trust(trust).audience(TARGET).acceptTargetUri(false).build();
        step(5, "service-b verifies the request: WIT signed by a trusted key, proof signed by the WIT's key, right audience, fresh.");
        try {
            var verified = receiver.verify(request);
            boolean right = verified.workload().equals(caller);
            say("ACCEPTED: the caller is " + verified.workload() + " (trust domain " + verified.trustDomain() + ")");
            expect(right, "the caller identity is " + caller);
        } catch (WimseException e) {
            say("REJECTED: " + e.reason() + ": " + e.detail());
            expect(false, "the genuine request is accepted");
        }

        step(6, "An eavesdropper replays the very same request.");
        rejected(receiver, request, Set.of(Reason.REPLAY), "each proof is accepted once (its 'jti' is remembered)");

        step(7, "An attacker forges a WIT for " + caller + " with a key of its own, copying the server's key id.");
        WorkloadKeyPair forgedServerKey = WorkloadKeyPair.fromPrivateJwk(
                withKid(WorkloadKeyPair.generate(JwsAlgorithm.ES256), serverKey.keyId()), null);
        WorkloadKeyPair attackerKey = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String forgedWit = WitIssuer.builder().signer(forgedServerKey.signer()).trustDomain(domain).build()
                .issue(caller, attackerKey.publicJwk(), Duration.ofHours(1), Map.of()).token();
        String forgedWpt = creator.create(WorkloadCredentials.of(forgedWit, attackerKey.signer()), TARGET, binds);
        rejected(receiver, request(forgedWit, forgedWpt, txnToken), EnumSet.of(Reason.BAD_SIGNATURE, Reason.UNKNOWN_KEY),
                "only WITs signed by the trust domain's own keys count");

        step(8, "service-a's proof for " + OTHER_TARGET + " is sent to service-b instead.");
        String otherWpt = creator.create(creds, OTHER_TARGET, binds);
        rejected(receiver, request(wit, otherWpt, txnToken), Set.of(Reason.AUDIENCE_MISMATCH),
                "a proof is only good for the audience it names");

        out.println();
        if (failures == 0) {
            out.println("Every step behaved as expected.");
        } else {
            out.println(failures + " step(s) did NOT behave as expected.");
        }
        out.flush();
        return failures == 0 ? WimseCli.OK : WimseCli.REJECTED;
    }

    private static HttpRequestFacts request(String wit, String wpt, String txnToken) {
        return HttpRequestFacts.builder("POST", URI.create(TARGET))
                .header("Host", URI.create(TARGET).getHost())
                .header("Content-Type", "application/json")
                .header("Txn-Token", txnToken)
                .header("Workload-Identity-Token", wit)
                .header("Authorization", WptTransport.AUTHORIZATION.headerValue(wpt))
                .build();
    }

    private void rejected(RequestVerifier receiver, HttpRequestFacts request, Set<Reason> expected, String lesson) {
        try {
            var verified = receiver.verify(request);
            say("ACCEPTED as " + verified.workload() + " (this should not happen)");
            expect(false, lesson);
        } catch (WimseException e) {
            say("REJECTED with " + e.httpStatus() + e.challenge().map(c -> " and 'WWW-Authenticate: " + c + "'").orElse("")
                    + ": " + e.reason() + " (problem code " + e.reason().code() + "): " + e.detail());
            expect(expected.contains(e.reason()), lesson);
        }
    }

    private static String withKid(WorkloadKeyPair key, String kid) {
        try {
            return new com.nimbusds.jose.jwk.ECKey.Builder(JWK.parse(key.privateJwkJson()).toECKey()).keyID(kid).build()
                    .toJSONString();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private void step(int n, String text) {
        out.println();
        out.println("Step " + n + ". " + text);
    }

    private void say(String text) {
        out.println("   " + text);
    }

    private void expect(boolean ok, String lesson) {
        if (ok) {
            say("as expected: " + lesson + ".");
        } else {
            failures++;
            say("UNEXPECTED: " + lesson + " did not hold.");
        }
    }
}
