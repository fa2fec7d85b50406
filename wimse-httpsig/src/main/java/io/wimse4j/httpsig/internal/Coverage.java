package io.wimse4j.httpsig.internal;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.httpsig.HttpResponseFacts;
import io.wimse4j.httpsig.SignatureProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The components a WIMSE signature must cover (HS-3 for requests, HS-6 for responses), as identifiers
 * serialized the way {@link TaggedSignature#covered()} lists them. Not part of the API.
 */
public final class Coverage {
    /** Request fields covered whenever present (HS-3), in the order wimse4j signs them. */
    public static final List<String> REQUEST_FIELDS =
            List.of("workload-identity-token", "content-type", "content-digest", "authorization", "txn-token");
    /** Response fields covered whenever present (HS-6). */
    public static final List<String> RESPONSE_FIELDS = List.of("workload-identity-token", "content-type", "content-digest");

    private Coverage() {
    }

    /** The covered list wimse4j signs for {@code request} (HS-3). */
    public static List<String> forRequest(HttpRequestFacts request, SignatureProfile profile) {
        List<String> ids = new ArrayList<>(8);
        ids.add("\"@method\"");
        if (profile == SignatureProfile.DRAFT_07) {
            ids.add("\"@path\"");
            ids.add("\"@query\"");
        } else {
            ids.add("\"@request-target\"");
        }
        for (String f : REQUEST_FIELDS) {
            if (!request.values(f).isEmpty()) {
                ids.add('"' + f + '"');
            }
        }
        return ids;
    }

    /** The covered list wimse4j signs for {@code response} to a request signed under {@code profile} (HS-6). */
    public static List<String> forResponse(HttpResponseFacts response, SignatureProfile profile) {
        List<String> ids = new ArrayList<>(8);
        ids.add("\"@status\"");
        for (String f : RESPONSE_FIELDS) {
            if (!response.values(f).isEmpty()) {
                ids.add('"' + f + '"');
            }
        }
        ids.add("\"@method\";req");
        if (profile == SignatureProfile.DRAFT_07) {
            ids.add("\"@path\";req");
            ids.add("\"@query\";req");
        } else {
            ids.add("\"@request-target\";req");
        }
        return ids;
    }

    /**
     * Checks that a request signature covers what HS-3 requires and returns the profile it follows.
     *
     * @throws WimseException {@link Reason#UNCOVERED_COMPONENT} naming the first component missing
     */
    public static SignatureProfile checkRequest(List<String> covered, HttpRequestFacts request, Set<SignatureProfile> accepted)
            throws WimseException {
        require(covered, "\"@method\"");
        SignatureProfile profile = target(covered, accepted, "");
        for (String f : REQUEST_FIELDS) {
            if (!request.values(f).isEmpty()) {
                require(covered, '"' + f + '"');
            }
        }
        return profile;
    }

    /** Checks that a response signature covers what HS-6 requires; see {@link #checkRequest}. */
    public static SignatureProfile checkResponse(List<String> covered, HttpResponseFacts response, Set<SignatureProfile> accepted)
            throws WimseException {
        require(covered, "\"@status\"");
        require(covered, "\"@method\";req");
        SignatureProfile profile = target(covered, accepted, ";req");
        for (String f : RESPONSE_FIELDS) {
            if (!response.values(f).isEmpty()) {
                require(covered, '"' + f + '"');
            }
        }
        return profile;
    }

    private static SignatureProfile target(List<String> covered, Set<SignatureProfile> accepted, String req) throws WimseException {
        if (accepted.contains(SignatureProfile.DRAFT_07) && covered.contains("\"@path\"" + req) && covered.contains("\"@query\"" + req)) {
            return SignatureProfile.DRAFT_07;
        }
        if (accepted.contains(SignatureProfile.DRAFT_06) && covered.contains("\"@request-target\"" + req)) {
            return SignatureProfile.DRAFT_06;
        }
        String wanted = accepted.contains(SignatureProfile.DRAFT_07) ? "\"@path\"" + req + " and \"@query\"" + req : "";
        if (accepted.contains(SignatureProfile.DRAFT_06)) {
            wanted = wanted.isEmpty() ? "\"@request-target\"" + req : wanted + " (-07) or \"@request-target\"" + req + " (-06)";
        }
        throw new WimseException(Reason.UNCOVERED_COMPONENT, "the WIMSE signature must cover " + wanted + " (HS-3)");
    }

    private static void require(List<String> covered, String id) throws WimseException {
        if (!covered.contains(id)) {
            throw new WimseException(Reason.UNCOVERED_COMPONENT, "the WIMSE signature does not cover " + id
                    + " (HS-3, HS-6)");
        }
    }
}
