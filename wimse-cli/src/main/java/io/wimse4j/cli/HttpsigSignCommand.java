package io.wimse4j.cli;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.wit.WitInfo;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.httpsig.HttpMessageText;
import io.wimse4j.httpsig.HttpResponseFacts;
import io.wimse4j.httpsig.HttpSignatureSigner;
import io.wimse4j.httpsig.HttpSignatureVerifier;
import io.wimse4j.httpsig.SignatureProfile;
import io.wimse4j.httpsig.VerifiedSignedRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code wimse httpsig sign}: signs a raw HTTP/1.1 request, or the response to a signed request, under
 * draft-ietf-wimse-http-signature with the workload's WIT and private key (HS-1..HS-6), and prints the
 * message with {@code Workload-Identity-Token}, {@code Content-Digest} (for a body), {@code Signature-Input}
 * and {@code Signature} added after its own header lines. A response is signed only after the request it
 * answers has been verified against {@code --trust} and {@code --audience}, as a server would: the response
 * is bound to that request's nonce and covers its method and target ({@code ;req}, HS-6).
 */
@Command(name = "sign", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sign a raw HTTP/1.1 request (or the response to one) with the WIT's key.",
                "Signs per draft-ietf-wimse-http-signature (RFC 9421) with the workload's WIT and",
                "private key; with --request, signs the response in --in to that request.",
                "Prints the message with Workload-Identity-Token, Content-Digest (for a body),",
                "Signature-Input and Signature added. The signature is made now and lives",
                "--lifetime seconds. A response is signed only after its request verifies."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:signed; prints the message", "1:refused (e.g. the WIT expired, or the request to answer is invalid): REASON: detail",
                "2:usage error"})
final class HttpsigSignCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--wit", required = true, paramLabel = "<token|@file|->",
            description = "The workload's WIT: the token itself, @file, or '-' for standard input.")
    private String wit;

    @Option(names = "--key", required = true, paramLabel = "<private-jwk-file>",
            description = "The workload's private JWK (the private half of the WIT's cnf.jwk; its algorithm is cnf.jwk.alg, HS-1).")
    private String key;

    @Option(names = "--in", paramLabel = "<file|->", defaultValue = "-",
            description = "The raw HTTP/1.1 message to sign (start line, headers, blank line, body); '-' (default) reads standard input.")
    private String in;

    @Option(names = "--out", paramLabel = "<file>",
            description = "Write the signed message to this file, byte for byte, instead of standard output.")
    private String out;

    @Option(names = "--audience", paramLabel = "<uri>",
            description = {"Request: the 'wimse-aud' to sign (default: the target URI without query and fragment, HS-4).",
                    "Response: an accepted 'wimse-aud' of the request answered, this service's own URI (repeatable, required)."})
    private List<String> audiences = new ArrayList<>();

    @Option(names = "--sign-response", description = "Request only: add 'wimse-sign-response', asking the server to sign its response (HS-6).")
    private boolean signResponse;

    @Option(names = "--lifetime", paramLabel = "<seconds>", defaultValue = "60",
            description = "Seconds from 'created' to 'expires', 1 to 300 (default: ${DEFAULT-VALUE}; never past the WIT's exp).")
    private long lifetime;

    @Option(names = "--label", paramLabel = "<label>", defaultValue = "wimse",
            description = "The signature's label (default: ${DEFAULT-VALUE}); receivers find the signature by its tag, not its label (HS-2).")
    private String label;

    @Option(names = "--draft", paramLabel = "<07|06>",
            description = "Request only: how the target is covered: '07' (default, \"@path\" \"@query\") or '06' (\"@request-target\").")
    private String draft;

    @Option(names = "--base-uri", paramLabel = "<uri>",
            description = "Scheme and authority of an origin-form request target, e.g. https://svc.example.org"
                    + " (default: https:// and the Host header).")
    private String baseUri;

    @Option(names = "--request", paramLabel = "<file>",
            description = "Sign the response in --in to this signed request (raw HTTP/1.1), verified first with --trust and --audience.")
    private String request;

    @Option(names = "--trust", paramLabel = "<trust-domain>=<jwks-file>",
            description = "With --request: trust the Identity Server keys in <jwks-file> (a JWKS, one public JWK or a SPIFFE bundle)"
                    + " for <trust-domain>, to verify the request's WIT. Repeatable.")
    private List<String> trust = new ArrayList<>();

    @Override
    public Integer call() {
        InputStream stdin = ((WimseCli) spec.root().userObject()).stdin();
        int fromStdin = ("-".equals(wit) ? 1 : 0) + ("-".equals(key) ? 1 : 0) + ("-".equals(in) ? 1 : 0) + ("-".equals(request) ? 1 : 0);
        if (fromStdin > 1) {
            throw CliException.usage("only one of --wit, --key, --in and --request can read standard input ('-')");
        }
        URI base = HttpMessageFiles.baseUri(baseUri);
        HttpMessageText message = HttpMessageFiles.read(in, stdin, "the message (--in)");
        boolean response = !message.isRequest();
        checkOptions(response);
        HttpSignatureSigner signer = signer(credentials(stdin), response);
        Map<String, String> added;
        try {
            if (response) {
                VerifiedSignedRequest answered = verifiedRequest(stdin, base);
                HttpResponseFacts facts = HttpMessageFiles.responseFacts(message, "the response (--in)");
                added = signer.signResponse(facts, message.body(), answered).headers();
            } else {
                HttpRequestFacts facts = HttpMessageFiles.requestFacts(message, base, "the request (--in)");
                added = audiences.isEmpty() ? signer.signRequest(facts, message.body()).headers()
                        : signer.signRequest(facts, message.body(), audiences.get(0)).headers();
            }
        } catch (WimseException e) {
            throw CliException.rejected(e);
        } catch (IllegalArgumentException e) {
            // the message already carries the signer's headers, or its own Content-Digest is wrong
            throw CliException.usage("cannot sign the message: " + e.getMessage());
        }
        HttpMessageFiles.write(message.with(added), out, spec.commandLine().getOut());
        return WimseCli.OK;
    }

    private void checkOptions(boolean response) {
        if (lifetime < 1 || lifetime > HttpSignatureSigner.MAX_LIFETIME.toSeconds()) {
            throw CliException.usage("--lifetime must be between 1 and " + HttpSignatureSigner.MAX_LIFETIME.toSeconds() + " seconds");
        }
        for (String a : audiences) {
            if (a.isBlank()) {
                throw CliException.usage("--audience must not be blank");
            }
        }
        if (response) {
            if (request == null) {
                throw CliException.usage("the message is a response: give --request <signed request file> (and --trust, --audience)"
                        + " to sign it as the answer to that request (HS-6)");
            }
            if (trust.isEmpty() || audiences.isEmpty()) {
                throw CliException.usage("signing a response verifies its request first: give --trust and --audience");
            }
            if (signResponse || draft != null) {
                throw CliException.usage("--sign-response and --draft apply to requests; a response follows the request it answers");
            }
        } else {
            if (request != null || !trust.isEmpty()) {
                throw CliException.usage("--request and --trust apply to signing a response, but the message is a request");
            }
            if (audiences.size() > 1) {
                throw CliException.usage("a request signature has one 'wimse-aud': give --audience once");
            }
        }
    }

    private CredentialSource credentials(InputStream stdin) {
        String witToken = Inputs.token(wit, stdin, "WIT");
        WitInfo info;
        try {
            info = WitInfo.decodeUnverified(witToken);
        } catch (WimseException e) {
            throw CliException.badInput("--wit", e);
        }
        WorkloadKeyPair pair = Inputs.privateKey(key, stdin, info.proofAlgorithm(), "workload key");
        return CredentialSource.fixed(Inputs.credentials(witToken, pair));
    }

    private HttpSignatureSigner signer(CredentialSource credentials, boolean response) {
        HttpSignatureSigner.Builder b = HttpSignatureSigner.builder(credentials).lifetime(Duration.ofSeconds(lifetime));
        try {
            b.label(label);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--label: " + e.getMessage());
        }
        if (!response) {
            b.profile(profile(draft)).requestSignedResponses(signResponse);
        }
        return b.build();
    }

    /** The request the response answers, verified as this service would before answering it (HS-7). */
    private VerifiedSignedRequest verifiedRequest(InputStream stdin, URI base) throws WimseException {
        HttpMessageText signed = HttpMessageFiles.read(request, stdin, "the request (--request)");
        HttpRequestFacts facts = HttpMessageFiles.requestFacts(signed, base, "the request (--request)");
        HttpSignatureVerifier.Builder v = HttpSignatureVerifier.builder().trust(TrustOption.bundles(trust, stdin)).acceptTargetUri(false);
        audiences.forEach(v::audience);
        return v.build().verifyRequest(facts, signed.body());
    }

    /** The {@code --draft} value: 07 (the default) or 06. */
    static SignatureProfile profile(String draft) {
        if (draft == null) {
            return SignatureProfile.DRAFT_07;
        }
        return switch (draft) {
            case "07", "-07" -> SignatureProfile.DRAFT_07;
            case "06", "-06" -> SignatureProfile.DRAFT_06;
            default -> throw CliException.usage("--draft must be '07' or '06', got '" + draft + "'");
        };
    }
}
