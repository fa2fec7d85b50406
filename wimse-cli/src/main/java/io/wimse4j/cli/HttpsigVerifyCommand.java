package io.wimse4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.httpsig.HttpMessageText;
import io.wimse4j.httpsig.HttpSignatureVerifier;
import io.wimse4j.httpsig.RequestSignature;
import io.wimse4j.httpsig.SignatureProfile;
import io.wimse4j.httpsig.VerifiedSignedRequest;
import io.wimse4j.httpsig.VerifiedSignedResponse;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code wimse httpsig verify}: checks a raw HTTP/1.1 request signed under draft-ietf-wimse-http-signature
 * as a receiving workload would (HS-1..HS-8): the signature tagged {@code wimse-workload-to-workload}, its
 * WIT against the {@code --trust} bundles, {@code wimse-aud} against the {@code --audience} values (never
 * {@code Host}), the covered components, the {@code Content-Digest}, the signature with the WIT's
 * {@code cnf} key. Prints the caller's workload identifier and the covered components (exit 0) or the
 * rejection {@code REASON: detail} (exit 1), both on standard output, never a token, key or signature;
 * {@code --json} prints a JSON object instead.
 *
 * <p>A response is verified against the signed request it answers ({@code --request}), as its client would
 * (HS-6): its WIT, the signature over {@code @status}, its fields and the request's {@code ;req} components,
 * and {@code wimse-req-nonce} equal to the request's nonce; unsigned, it is refused when the request asked
 * for a signed response, and reported as unsigned otherwise.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Verify a raw HTTP/1.1 request or response signed with a WIT's key (RFC 9421).",
                "Checks the request per draft-ietf-wimse-http-signature; 'wimse-aud' is checked",
                "against the --audience values only, never against the Host header. A response is",
                "checked against the signed request it answers (--request)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:valid; prints the signer's workload identifier, then the covered components",
                "1:rejected; prints REASON: detail", "2:usage error"})
final class HttpsigVerifyCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--in", paramLabel = "<file|->", defaultValue = "-",
            description = "The signed raw HTTP/1.1 request; '-' (default) reads standard input.")
    private String in;

    @Option(names = "--trust", required = true, paramLabel = "<trust-domain>=<jwks-file>",
            description = "Trust the Identity Server keys in <jwks-file> (a JWKS, one public JWK or a SPIFFE bundle) for <trust-domain>."
                    + " Repeatable.")
    private List<String> trust = new ArrayList<>();

    @Option(names = "--audience", paramLabel = "<uri>",
            description = "An accepted 'wimse-aud' (this service's own external URI); required for a request. Repeatable.")
    private List<String> audiences = new ArrayList<>();

    @Option(names = "--request", paramLabel = "<file>",
            description = "For a response: the signed raw HTTP/1.1 request it answers (its nonce and components bind the response).")
    private String request;

    @Option(names = "--now", paramLabel = "<epoch-seconds>",
            description = "Verify as of this instant instead of the current time (a 60 s clock-skew leeway applies).")
    private Long now;

    @Option(names = "--max-lifetime", paramLabel = "<seconds>", defaultValue = "600",
            description = "Longest acceptable 'expires' - 'created', 1 to 3600 (default: ${DEFAULT-VALUE}).")
    private long maxLifetime;

    @Option(names = "--draft", paramLabel = "<07|06|any>", defaultValue = "any",
            description = "Accepted target coverage: '07' (\"@path\" \"@query\"), '06' (\"@request-target\") or 'any' (default).")
    private String draft;

    @Option(names = "--base-uri", paramLabel = "<uri>",
            description = "Scheme and authority of an origin-form request target (default: https:// and the Host header).")
    private String baseUri;

    @Option(names = "--json", description = "Print the result as a JSON object.")
    private boolean json;

    @Override
    public Integer call() {
        InputStream stdin = ((WimseCli) spec.root().userObject()).stdin();
        if ("-".equals(in) && trust.stream().anyMatch(t -> t.endsWith("=-"))) {
            throw CliException.usage("only one of --in and --trust can read standard input ('-')");
        }
        HttpSignatureVerifier verifier = verifier(stdin);
        HttpMessageText message = HttpMessageFiles.read(in, stdin, "the message (--in)");
        if (!message.isRequest()) {
            return verifyResponse(verifier, message, stdin);
        }
        if (request != null) {
            throw CliException.usage("--request is for verifying a response; the message is a request");
        }
        if (audiences.isEmpty()) {
            throw CliException.usage("verifying a request needs --audience: the service's own external URI");
        }
        var facts = HttpMessageFiles.requestFacts(message, HttpMessageFiles.baseUri(baseUri), "the request (--in)");
        PrintWriter out = spec.commandLine().getOut();
        try {
            VerifiedSignedRequest v = verifier.verifyRequest(facts, message.body());
            if (json) {
                ObjectNode o = StrictJson.mapper().createObjectNode();
                o.put("valid", true);
                o.put("workload", v.workload().value());
                o.put("trust_domain", v.workload().trustDomain().name());
                ArrayNode covered = o.putArray("covered");
                v.covered().forEach(covered::add);
                o.put("label", v.label());
                o.put("draft", v.profile() == SignatureProfile.DRAFT_07 ? "07" : "06");
                o.put("audience", v.audience());
                o.put("created", v.created().getEpochSecond());
                o.put("expires", v.expires().getEpochSecond());
                o.put("sign_response", v.signResponseRequested());
                out.println(o.toString());
            } else {
                out.println(v.workload().value());
                out.println("covered: " + String.join(" ", v.covered()));
            }
            out.flush();
            return WimseCli.OK;
        } catch (WimseException e) {
            out.println(json ? VerifyCommand.rejection(e).toString() : e.reason().name() + ": " + e.detail());
            out.flush();
            return WimseCli.REJECTED;
        }
    }

    private int verifyResponse(HttpSignatureVerifier verifier, HttpMessageText response, InputStream stdin) {
        if (request == null) {
            throw CliException.usage("the message is a response: give the signed request it answers with --request");
        }
        if ("-".equals(request) && "-".equals(in)) {
            throw CliException.usage("only one of --in and --request can read standard input ('-')");
        }
        HttpMessageText req = HttpMessageFiles.read(request, stdin, "the request (--request)");
        if (!req.isRequest()) {
            throw CliException.usage("--request must be a request, not a response");
        }
        PrintWriter out = spec.commandLine().getOut();
        try {
            RequestSignature sent = RequestSignature.of(HttpMessageFiles.requestFacts(req, HttpMessageFiles.baseUri(baseUri),
                    "the request (--request)"));
            java.util.Optional<VerifiedSignedResponse> v = verifier.verifyResponse(HttpMessageFiles.responseFacts(response, "the response (--in)"), response.body(), sent);
            if (json) {
                ObjectNode o = StrictJson.mapper().createObjectNode();
                o.put("valid", true);
                o.put("signed", v.isPresent());
                if (v.isPresent()) {
                    o.put("workload", v.get().workload().value());
                    ArrayNode covered = o.putArray("covered");
                    v.get().covered().forEach(covered::add);
                }
                out.println(o.toString());
            } else if (v.isPresent()) {
                out.println(v.get().workload().value());
                out.println("covered: " + String.join(" ", v.get().covered()));
            } else {
                out.println("unsigned response (the request did not ask for a signed one)");
            }
            out.flush();
            return WimseCli.OK;
        } catch (IllegalArgumentException e) {
            throw CliException.usage("the response (--in): " + e.getMessage());
        } catch (WimseException e) {
            out.println(json ? VerifyCommand.rejection(e).toString() : e.reason().name() + ": " + e.detail());
            out.flush();
            return WimseCli.REJECTED;
        }
    }

    private HttpSignatureVerifier verifier(InputStream stdin) {
        HttpSignatureVerifier.Builder b = HttpSignatureVerifier.builder().trust(TrustOption.bundles(trust, stdin))
                .acceptTargetUri(audiences.isEmpty()).profiles(profiles(draft));
        try {
            b.maxSignatureLifetime(Duration.ofSeconds(maxLifetime));
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--max-lifetime: " + e.getMessage());
        }
        if (now != null) {
            b.clock(Inputs.fixedClock(now));
        }
        Inputs.audiences(audiences, b::audience);
        return b.build();
    }

    private static java.util.Set<SignatureProfile> profiles(String draft) {
        if (draft.toLowerCase(Locale.ROOT).equals("any")) {
            return java.util.EnumSet.allOf(SignatureProfile.class);
        }
        try {
            return java.util.EnumSet.of(HttpsigSignCommand.profile(draft));
        } catch (CliException e) {
            throw CliException.usage("--draft must be '07', '06' or 'any', got '" + draft + "'");
        }
    }
}
