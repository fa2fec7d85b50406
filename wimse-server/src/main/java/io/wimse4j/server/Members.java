package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.server.http.Problem;

import java.util.Iterator;
import java.util.Set;

/** Strict request members: a typo in a request is an error, never silently ignored. Not API. */
final class Members {
    private Members() {
    }

    /**
     * The request body as a JSON object with only {@code allowed} members; {@code malformed-request}
     * otherwise. The body has already been size-checked.
     */
    static ObjectNode requestBody(byte[] body, Set<String> allowed) throws Problem {
        ObjectNode req;
        try {
            req = StrictJson.parseObject(body, "request body");
        } catch (WimseException e) {
            throw Problem.of(Problem.Code.MALFORMED_REQUEST, e.detail());
        }
        requireOnly(req, allowed, Problem.Code.MALFORMED_REQUEST, "request body");
        return req;
    }

    /**
     * Refuses the first member of {@code object} that is not in {@code allowed}, naming it (cut to 40
     * characters) in a {@code code} problem.
     */
    static void requireOnly(JsonNode object, Set<String> allowed, Problem.Code code, String what) throws Problem {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String member = it.next();
            if (!allowed.contains(member)) {
                throw Problem.of(code, what + " member '" + (member.length() <= 40 ? member : member.substring(0, 40) + "...")
                        + "' is not accepted");
            }
        }
    }
}
