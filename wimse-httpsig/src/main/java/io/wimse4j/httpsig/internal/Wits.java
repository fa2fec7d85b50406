package io.wimse4j.httpsig.internal;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.wpt.WimseHeaders;
import io.wimse4j.httpsig.HttpSignatures;

import java.util.List;

/** The WIT a signed message carries (HS-1): exactly one, bounded, and on a request never also in {@code Authorization}. Not part of the API. */
public final class Wits {
    private Wits() {
    }

    /** The request's one WIT, never also in {@code Authorization} (HS-1, WIT-9). */
    public static String ofRequest(HttpRequestFacts request, int maxLength) throws WimseException {
        String wit = exactlyOne(request.values(HttpSignatures.WORKLOAD_IDENTITY_TOKEN), maxLength);
        for (String authorization : request.values(WimseHeaders.AUTHORIZATION)) {
            if (authorization.contains(wit)) {
                throw new WimseException(Reason.WIT_AS_BEARER, "the WIT must not be sent in 'Authorization' (WIT-9)");
            }
        }
        return wit;
    }

    /**
     * The one value of a message's {@code Workload-Identity-Token} field lines.
     *
     * @throws WimseException {@link Reason#MISSING_WIT}, {@link Reason#REPEATED_HEADER} or {@link Reason#TOKEN_TOO_LARGE}
     */
    public static String exactlyOne(List<String> values, int maxLength) throws WimseException {
        if (values.isEmpty()) {
            throw new WimseException(Reason.MISSING_WIT, "the signed message has no 'Workload-Identity-Token' header (HS-1)");
        }
        if (values.size() > 1) {
            throw new WimseException(Reason.REPEATED_HEADER, "header 'Workload-Identity-Token' appears " + values.size() + " times");
        }
        String wit = values.get(0);
        if (wit.length() > maxLength) {
            throw new WimseException(Reason.TOKEN_TOO_LARGE, "the WIT is longer than " + maxLength + " characters");
        }
        return wit;
    }
}
