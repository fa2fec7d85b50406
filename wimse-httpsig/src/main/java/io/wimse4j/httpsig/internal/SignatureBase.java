package io.wimse4j.httpsig.internal;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.httpsig.HttpResponseFacts;
import io.wimse4j.httpsig.sfv.BareItem;
import io.wimse4j.httpsig.sfv.InnerList;
import io.wimse4j.httpsig.sfv.Item;
import io.wimse4j.httpsig.sfv.SfBoolean;
import io.wimse4j.httpsig.sfv.SfString;
import io.wimse4j.httpsig.sfv.StructuredFields;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The RFC 9421 signature base (section 2.5) of one signature: a line per covered component,
 * {@code "<identifier>": <value>}, and last {@code "@signature-params": <inner list>}. Supports the
 * derived components {@code @method}, {@code @target-uri}, {@code @authority}, {@code @scheme},
 * {@code @request-target}, {@code @path}, {@code @query} and {@code @status}, field components by
 * their lower-case names, and the component parameter {@code req} (a request component of a
 * response, HS-6). Any other parameter ({@code sf}, {@code key}, {@code bs}, {@code tr}, {@code name})
 * and {@code @query-param} are refused as not supported, as RFC 9421 requires of a parameter a
 * verifier does not understand. Not part of the API.
 */
public final class SignatureBase {
    private SignatureBase() {
    }

    /**
     * The signature base of {@code input} (its items are the covered components, its parameters the
     * signature parameters) over a request, or over a response when {@code response} is not null, with
     * {@code request} the request it answers.
     *
     * @throws WimseException {@link Reason#MALFORMED_SIGNATURE} for an invalid, repeated or unsupported
     *                        component, {@link Reason#ABSENT_COMPONENT} for a covered component the message lacks
     */
    public static byte[] of(InnerList input, HttpRequestFacts request, HttpResponseFacts response) throws WimseException {
        List<Item> items = input.items();
        String[] identifiers = new String[items.size()];
        String[] values = new String[items.size()];
        int length = SIGNATURE_PARAMS.length();
        for (int i = 0; i < identifiers.length; i++) {
            String identifier = StructuredFields.serialize(items.get(i));
            for (int j = 0; j < i; j++) {
                if (identifiers[j].equals(identifier)) {
                    throw malformed("component " + identifier + " is covered twice (RFC 9421 section 2.5)");
                }
            }
            identifiers[i] = identifier;
            values[i] = value(items.get(i), request, response);
            length += identifier.length() + 2 + values[i].length() + 1;
        }
        String params = StructuredFields.serialize(input);
        length += params.length();
        // written once, at its exact size: a WIMSE base holds a WIT, so copies through a StringBuilder add up
        byte[] base = new byte[length];
        int at = 0;
        for (int i = 0; i < identifiers.length; i++) {
            at = latin1(base, at, identifiers[i]);
            at = latin1(base, at, ": ");
            at = latin1(base, at, values[i]);
            base[at++] = '\n';
        }
        at = latin1(base, at, SIGNATURE_PARAMS);
        latin1(base, at, params);
        return base;
    }

    private static final String SIGNATURE_PARAMS = "\"@signature-params\": ";

    /** Writes {@code s} into {@code out} at {@code at} as ISO-8859-1, refusing any other character; the next position. */
    private static int latin1(byte[] out, int at, String s) throws WimseException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xFF) {
                throw malformed("a covered value has a character outside ISO-8859-1, which no HTTP field carries");
            }
            out[at++] = (byte) c;
        }
        return at;
    }

    /** The value of component {@code id} (RFC 9421 section 2.1, 2.2); see {@link #of}. */
    public static String value(Item id, HttpRequestFacts request, HttpResponseFacts response) throws WimseException {
        if (!(id.value() instanceof SfString s)) {
            throw malformed("a component identifier must be a string");
        }
        String name = s.value();
        boolean req = false;
        for (Map.Entry<String, BareItem> p : id.parameters().asMap().entrySet()) {
            if (!p.getKey().equals("req")) {
                throw malformed("component parameter '" + p.getKey() + "' of " + quoted(name) + " is not supported");
            }
            if (!(p.getValue() instanceof SfBoolean b) || !b.value()) {
                throw malformed("component parameter 'req' must be true");
            }
            req = true;
        }
        if (req && response == null) {
            throw malformed("';req' belongs in a response's signature, not a request's");
        }
        boolean ofRequest = response == null || req;
        if (name.startsWith("@")) {
            return derived(name, ofRequest, request, response);
        }
        if (name.isEmpty() || !name.equals(name.toLowerCase(Locale.ROOT)) || !isToken(name)) {
            throw malformed("field component " + quoted(name) + " is not a lower-case field name");
        }
        List<String> lines = ofRequest ? request.values(name) : response.values(name);
        if (lines.isEmpty()) {
            throw new WimseException(Reason.ABSENT_COMPONENT, "covered field '" + name + "' is absent from the "
                    + (ofRequest ? "request" : "response"));
        }
        if (lines.size() == 1) {
            return fieldLine(name, lines.get(0)); // the usual case: no copy of a long value (the WIT)
        }
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) {
                v.append(", "); // also after an empty first line (RFC 9421 section 2.1)
            }
            v.append(fieldLine(name, lines.get(i)));
        }
        return v.toString();
    }

    private static String derived(String name, boolean ofRequest, HttpRequestFacts request, HttpResponseFacts response)
            throws WimseException {
        if (name.equals("@status")) {
            if (ofRequest) {
                throw malformed("'@status' is a component of a response only");
            }
            return String.valueOf(response.status());
        }
        if (!ofRequest) {
            throw malformed("request component " + quoted(name) + " of a response needs ';req'");
        }
        URI target = request.targetUri();
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        String query = target.getRawQuery();
        return switch (name) {
            case "@method" -> request.method();
            case "@target-uri" -> targetUri(target);
            case "@authority" -> authority(target);
            case "@scheme" -> target.getScheme().toLowerCase(Locale.ROOT);
            case "@request-target" -> query == null ? path : path + "?" + query;
            case "@path" -> path;
            case "@query" -> query == null ? "?" : "?" + query;
            case "@signature-params" -> throw malformed("'@signature-params' must not be listed as a covered component");
            default -> throw malformed("derived component " + quoted(name) + " is not supported");
        };
    }

    /** The target URI (RFC 9110 section 7.1), which has no fragment: one in {@code target} is left out. */
    private static String targetUri(URI target) {
        String s = target.toASCIIString();
        int hash = target.getRawFragment() == null ? -1 : s.lastIndexOf('#');
        return hash < 0 ? s : s.substring(0, hash);
    }

    /** RFC 9421 section 2.2.3: host lower-cased, the port only when it is not the scheme's default. */
    private static String authority(URI target) {
        String host;
        int port;
        if (target.getHost() != null) {
            host = target.getHost().toLowerCase(Locale.ROOT);
            port = target.getPort();
        } else {
            // java.net.URI parses a host that is no RFC 2396 hostname (e.g. with '_') as a registry-based
            // authority, without host or port: split it here, or the value keeps its case and default port
            String authority = target.getRawAuthority();
            authority = authority.substring(authority.lastIndexOf('@') + 1);
            int colon = authority.lastIndexOf(':');
            port = -1;
            if (colon > authority.lastIndexOf(']')) {
                String digits = authority.substring(colon + 1);
                if (digits.length() <= 5 && digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    port = digits.isEmpty() ? -1 : Integer.parseInt(digits);
                    authority = authority.substring(0, colon);
                }
            }
            host = authority.toLowerCase(Locale.ROOT);
        }
        String scheme = target.getScheme().toLowerCase(Locale.ROOT);
        boolean defaultPort = port == -1 || (port == 443 && scheme.equals("https")) || (port == 80 && scheme.equals("http"));
        return defaultPort ? host : host + ":" + port;
    }

    /** One field line: outer whitespace trimmed; a line break (never legal in a value) refused. */
    private static String fieldLine(String name, String line) throws WimseException {
        int start = 0;
        int end = line.length();
        while (start < end && (line.charAt(start) == ' ' || line.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        for (int i = start; i < end; i++) {
            char c = line.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw malformed("field '" + name + "' has a control character in its value");
            }
        }
        return line.substring(start, end);
    }

    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String quoted(String name) {
        return "'" + (name.length() > 64 ? name.substring(0, 64) + "..." : name) + "'";
    }

    static WimseException malformed(String detail) {
        return new WimseException(Reason.MALFORMED_SIGNATURE, detail);
    }
}
