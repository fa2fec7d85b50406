package io.wimse4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.core.wit.WitProfile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code wimse verify}: checks a raw HTTP request carrying a WIT and a WPT, in either transport
 * ({@code Workload-Proof-Token}, V-1..V-14, or {@code Authorization: WPT}, P2-1..P2-4), as a receiving
 * workload would, against the given trust bundles and accepted audiences. Prints the caller's workload
 * identifier (exit 0) or the rejection {@code REASON: detail} (exit 1), both on standard output;
 * {@code --json} prints a JSON object instead, with the transport and the HTTP status a receiver answers.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Verify a raw HTTP/1.1 request carrying a Workload-Identity-Token header and its proof, either in",
                "'Authorization: WPT <wpt>' (wpt-02) or in a Workload-Proof-Token header (the seed drafts).",
                "The WPT 'aud' is checked against the --audience values only, never against the Host header."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:valid; prints the caller's workload identifier",
                "1:rejected; prints REASON: detail", "2:usage error"})
final class VerifyCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--trust", required = true, paramLabel = "<trust-domain>=<jwks-file>",
            description = "Trust the Identity Server keys in <jwks-file> (a JWKS or one public JWK) for <trust-domain>. Repeatable.")
    private List<String> trust = new ArrayList<>();

    @Option(names = "--audience", required = true, paramLabel = "<uri>",
            description = "An accepted WPT 'aud' value (the service's own external URI). Repeatable.")
    private List<String> audiences = new ArrayList<>();

    @Option(names = "--request", required = true, paramLabel = "<file|->",
            description = "The raw HTTP/1.1 request (request line, headers, blank line, body); '-' reads standard input.")
    private String request;

    @Option(names = "--now", paramLabel = "<epoch-seconds>", description = "Verify as of this instant instead of the current time (a 60 s clock-skew leeway applies to exp).")
    private Long now;

    @Option(names = "--max-lifetime", paramLabel = "<seconds>", defaultValue = "300",
            description = "Longest acceptable proof lifetime, 1 to 3600 (default: ${DEFAULT-VALUE}); the 60 s clock-skew leeway comes on top.")
    private long maxLifetime;

    @Option(names = "--json", description = "Print the result as a JSON object.")
    private boolean json;

    @Option(names = "--profile", paramLabel = "<profile>", defaultValue = "wimse",
            description = "The WIT profile: 'wimse' (default) or 'spiffe-wit-svid' (the SPIFFE WIT-SVID's stricter rules:"
                    + " kid required, spiffe:// subject, RSA/ECDSA only, keys from wit-svid entries of a SPIFFE bundle).")
    private String profile;

    @Option(names = "--transport", paramLabel = "<transport>", defaultValue = "both",
            description = "The WPT transports accepted: 'both' (default), 'authorization' (Authorization: WPT, wpt-02)"
                    + " or 'workload-proof-token' (the seed drafts' header).")
    private String transport;

    @Override
    public Integer call() {
        TrustBundleSet bundles = TrustOption.bundles(trust, stdin());
        RequestVerifier verifier = verifier(bundles);
        RawHttpRequest raw;
        try {
            raw = RawHttpRequest.parse(Inputs.readBytes(request, stdin(), "request"));
        } catch (IllegalArgumentException e) {
            throw CliException.usage("the request is not a valid HTTP/1.1 request: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        try {
            VerifiedCaller caller = verifier.verify(raw.toFacts());
            if (json) {
                ObjectNode o = StrictJson.mapper().createObjectNode();
                o.put("valid", true);
                o.put("workload", caller.workload().value());
                o.put("trust_domain", caller.trustDomain().name());
                o.put("transport", TransportOption.name(caller.transport()));
                out.println(o.toString());
            } else {
                out.println(caller.workload().value());
            }
            out.flush();
            return WimseCli.OK;
        } catch (WimseException e) {
            if (json) {
                out.println(rejection(e).toString());
            } else {
                out.println(e.reason().name() + ": " + e.detail());
            }
            out.flush();
            return WimseCli.REJECTED;
        }
    }

    /** The JSON object of a rejection: reason, code, problem type, title, detail, HTTP status (and a challenge). */
    static ObjectNode rejection(WimseException e) {
        ObjectNode o = StrictJson.mapper().createObjectNode();
        o.put("valid", false);
        o.put("reason", e.reason().name());
        o.put("code", e.reason().code());
        o.put("type", e.reason().type().toString());
        o.put("title", e.reason().title());
        o.put("detail", e.detail());
        o.put("status", e.httpStatus());
        e.challenge().ifPresent(c -> o.put("www_authenticate", c));
        return o;
    }

    private RequestVerifier verifier(TrustBundleSet bundles) {
        RequestVerifier.Builder b = RequestVerifier.builder().trust(bundles).acceptTargetUri(false)
                .transports(TransportOption.accepted(transport, "--transport")).witProfile(profile());
        try {
            b.maxProofLifetime(Duration.ofSeconds(maxLifetime));
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--max-lifetime: " + e.getMessage());
        }
        if (now != null) {
            b.clock(Inputs.fixedClock(now));
        }
        Inputs.audiences(audiences, b::audience);
        return b.build();
    }

    private WitProfile profile() {
        return switch (profile.toLowerCase(java.util.Locale.ROOT)) {
            case "wimse" -> WitProfile.WIMSE;
            case "spiffe-wit-svid" -> WitProfile.SPIFFE_WIT_SVID;
            default -> throw CliException.usage("--profile must be 'wimse' or 'spiffe-wit-svid', got '" + profile + "'");
        };
    }

    private java.io.InputStream stdin() {
        return ((WimseCli) spec.root().userObject()).stdin();
    }
}
