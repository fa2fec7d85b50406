package io.wimse4j.core.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.internal.StrictJson;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One RFC 9457 {@code application/problem+json} document as every wimse4j component writes it
 * (V-14): the servlet filter, the demo service and the Identity Server all answer through this
 * type, and clients read answers back with {@link #parse(String)}.
 *
 * <p>Members, in this order: {@code type} ({@link ProblemType#BASE} followed by the code),
 * {@code title}, {@code status}, {@code detail}, the extension member {@code code} (the stable
 * {@link ProblemType#code()}; clients compare it, never the type URI), then the optional
 * {@code instance} and any extension members given to the {@link Builder}.
 *
 * <p>The detail, title and extension values never carry tokens: callers pass explanations such as
 * {@link WimseException#detail()}, and this type bounds each of them to
 * {@value #MAX_DETAIL_LENGTH} characters and replaces control characters with {@code ?} (as
 * {@link WimseException} does). The JSON writer escapes quotes, backslashes and every control or
 * line-separator character, so no string can break out of its member. Immutable.
 */
public final class ProblemDetails {
    /** The media type of every problem document. */
    public static final String MEDIA_TYPE = "application/problem+json";
    /** Longest detail, title or extension value kept, in characters (longer ones end in {@code ...}). */
    public static final int MAX_DETAIL_LENGTH = WimseException.MAX_DETAIL_LENGTH;
    /** Longest document {@link #parse(String)} reads, in characters; larger ones are refused before parsing. */
    public static final int MAX_DOCUMENT_LENGTH = 16 * 1024;
    /** Most extension members a problem carries. */
    public static final int MAX_MEMBERS = 8;

    private static final Set<String> RESERVED = Set.of("type", "title", "status", "detail", "instance", "code");

    private final String code;
    private final URI type;
    private final String title;
    private final int status;
    private final String detail;
    private final URI instance;
    private final Map<String, String> members;

    private ProblemDetails(String code, String title, int status, String detail, URI instance, Map<String, String> members) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem status must be 4xx or 5xx");
        }
        this.code = code;
        this.type = ProblemType.typeOf(code);
        this.title = WimseException.sanitize(title);
        this.status = status;
        this.detail = WimseException.sanitize(detail);
        this.instance = instance;
        Map<String, String> m = new LinkedHashMap<>();
        members.forEach((k, v) -> m.put(k, WimseException.sanitize(v)));
        this.members = Collections.unmodifiableMap(m);
    }

    /** The problem of {@code problem}: its code, type, title and status, with {@code detail} (null for none). */
    public static ProblemDetails of(ProblemType problem, String detail) {
        return builder(problem).detail(detail).build();
    }

    /**
     * The problem of a {@link WimseException}: its {@link Reason}, {@link WimseException#detail()} and
     * {@link WimseException#httpStatus()} (401 for a challenged credential failure, P2-4).
     */
    public static ProblemDetails of(WimseException e) {
        return builder(e.reason()).detail(e.detail()).status(e.httpStatus()).build();
    }

    /** A builder for a problem of {@code problem}, to add an {@code instance} or extension members. */
    public static Builder builder(ProblemType problem) {
        return new Builder(problem);
    }

    /** The stable code, e.g. {@code audience-mismatch}. */
    public String code() {
        return code;
    }

    /** The {@code type} URI: {@link ProblemType#BASE} followed by {@link #code()}. */
    public URI type() {
        return type;
    }

    /** The title. */
    public String title() {
        return title;
    }

    /** The HTTP status, 4xx or 5xx. */
    public int status() {
        return status;
    }

    /** The detail, possibly empty; bounded and free of control characters. */
    public String detail() {
        return detail;
    }

    /** The {@code instance} URI reference, when one was given. */
    public Optional<URI> instance() {
        return Optional.ofNullable(instance);
    }

    /** The extension members other than {@code code}, in order; unmodifiable. */
    public Map<String, String> members() {
        return members;
    }

    /** True when this problem has the code of {@code problem}: how clients recognize a problem. */
    public boolean is(ProblemType problem) {
        return code.equals(problem.code());
    }

    /** The JSON document. */
    public String toJson() {
        StringBuilder sb = new StringBuilder(128 + detail.length());
        sb.append('{');
        string(sb, "type").append(':');
        string(sb, type.toString()).append(',');
        string(sb, "title").append(':');
        string(sb, title).append(',');
        string(sb, "status").append(':').append(status).append(',');
        string(sb, "detail").append(':');
        string(sb, detail).append(',');
        string(sb, "code").append(':');
        string(sb, code);
        if (instance != null) {
            sb.append(',');
            string(sb, "instance").append(':');
            string(sb, instance.toString());
        }
        for (Map.Entry<String, String> m : members.entrySet()) {
            sb.append(',');
            string(sb, m.getKey()).append(':');
            string(sb, m.getValue());
        }
        return sb.append('}').toString();
    }

    /** The JSON document in UTF-8. */
    public byte[] toJsonBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }

    /** Appends {@code s} as a JSON string: quotes, backslashes, control and line-separator characters escaped. */
    private static StringBuilder string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    boolean unsafe = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                            || Character.getType(c) == Character.FORMAT
                            || (Character.isSurrogate(c) && !validSurrogateAt(s, i));
                    if (unsafe) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }

    /** True when the surrogate at {@code i} is half of a well-formed pair. */
    private static boolean validSurrogateAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /**
     * Reads a wimse4j problem document, e.g. the body of an Identity Server refusal. The JSON is read
     * strictly (duplicate members refused, at most {@value #MAX_DOCUMENT_LENGTH} characters) and must be
     * an object with a well-formed {@code code} and a numeric {@code status} of 4xx or 5xx; a
     * {@code type} member, when present, must be the type of that code. A document without
     * {@code code} whose {@code type} is {@link ProblemType#BASE} followed by a code is read with that
     * code. As RFC 9457 section 3.1 asks, a {@code title}, {@code detail} or {@code instance} of the
     * wrong JSON type is ignored; string extension members are kept (up to {@value #MAX_MEMBERS}),
     * others ignored.
     *
     * @throws IllegalArgumentException when the text is not such a document; the message never
     *                                  quotes the text
     */
    public static ProblemDetails parse(String json) {
        Objects.requireNonNull(json, "json");
        if (json.length() > MAX_DOCUMENT_LENGTH) {
            throw new IllegalArgumentException("not a problem document: longer than " + MAX_DOCUMENT_LENGTH + " characters");
        }
        ObjectNode o;
        try {
            o = StrictJson.parseObject(json, "problem");
        } catch (WimseException e) {
            throw new IllegalArgumentException("not a problem document: not a strict JSON object", e);
        }
        Optional<String> typeCode = Optional.empty();
        JsonNode type = o.get("type");
        if (type != null) {
            if (!type.isTextual()) {
                throw new IllegalArgumentException("not a problem document: 'type' is not a string");
            }
            typeCode = uri(type.textValue()).flatMap(ProblemType::codeOf);
            if (typeCode.isEmpty()) {
                throw new IllegalArgumentException("not a wimse4j problem: 'type' is not a wimse4j problem type");
            }
        }
        JsonNode codeNode = o.get("code");
        String code;
        if (codeNode != null) {
            if (!codeNode.isTextual() || !ProblemType.isCode(codeNode.textValue())) {
                throw new IllegalArgumentException("not a wimse4j problem: 'code' is not a problem code");
            }
            code = codeNode.textValue();
            if (typeCode.isPresent() && !typeCode.get().equals(code)) {
                throw new IllegalArgumentException("not a wimse4j problem: 'type' and 'code' disagree");
            }
        } else {
            code = typeCode.orElseThrow(() -> new IllegalArgumentException("not a wimse4j problem: no 'code'"));
        }
        JsonNode status = o.get("status");
        if (status == null || !status.isInt() || status.intValue() < 400 || status.intValue() > 599) {
            throw new IllegalArgumentException("not a problem document: 'status' is not a 4xx or 5xx number");
        }
        Map<String, String> members = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext() && members.size() < MAX_MEMBERS; ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!RESERVED.contains(m.getKey()) && Builder.isMemberName(m.getKey()) && m.getValue().isTextual()) {
                members.put(m.getKey(), m.getValue().textValue());
            }
        }
        JsonNode instance = o.get("instance");
        return new ProblemDetails(code, text(o, "title"), status.intValue(), text(o, "detail"),
                instance != null && instance.isTextual() ? uri(instance.textValue()).orElse(null) : null, members);
    }

    /** {@link #parse(String)} of UTF-8 bytes; malformed UTF-8 is refused. */
    public static ProblemDetails parse(byte[] utf8) {
        Objects.requireNonNull(utf8, "utf8");
        if (utf8.length > 4 * MAX_DOCUMENT_LENGTH) {
            throw new IllegalArgumentException("not a problem document: longer than " + MAX_DOCUMENT_LENGTH + " characters");
        }
        try {
            return parse(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(utf8)).toString());
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("not a problem document: not UTF-8", e);
        }
    }

    private static String text(ObjectNode o, String name) {
        JsonNode n = o.get(name);
        return n != null && n.isTextual() ? n.textValue() : "";
    }

    private static Optional<URI> uri(String s) {
        try {
            return Optional.of(new URI(s));
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProblemDetails p && code.equals(p.code) && title.equals(p.title) && status == p.status
                && detail.equals(p.detail) && Objects.equals(instance, p.instance) && members.equals(p.members);
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, title, status, detail, instance, members);
    }

    @Override
    public String toString() {
        return "ProblemDetails[" + status + " " + code + ": " + detail + "]";
    }

    /** Builds a {@link ProblemDetails}; {@link #build()} validates. */
    public static final class Builder {
        private final ProblemType problem;
        private String detail = "";
        private URI instance;
        private int status;
        private final Map<String, String> members = new LinkedHashMap<>();

        private Builder(ProblemType problem) {
            this.problem = Objects.requireNonNull(problem, "problem");
            this.status = problem.status();
        }

        /**
         * The status, when it differs from the problem type's own: e.g. 401 for a credential failure
         * of the wpt-02 transport (P2-4, {@link WimseException#httpStatus()}); 4xx or 5xx.
         */
        public Builder status(int status) {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("a problem status must be 4xx or 5xx");
            }
            this.status = status;
            return this;
        }

        /** The detail: an explanation safe to return, never a token (null for none). */
        public Builder detail(String detail) {
            this.detail = detail == null ? "" : detail;
            return this;
        }

        /** The {@code instance} member: a URI reference naming this occurrence. */
        public Builder instance(URI instance) {
            this.instance = Objects.requireNonNull(instance, "instance");
            return this;
        }

        /**
         * An extension member with a string value (RFC 9457 section 3.2): a name of at least three
         * ASCII letters, digits or underscores starting with a letter, not one of the members this
         * type writes itself ({@code type}, {@code title}, {@code status}, {@code detail},
         * {@code instance}, {@code code}); the value is bounded like the detail.
         */
        public Builder member(String name, String value) {
            Objects.requireNonNull(value, "value");
            if (!isMemberName(name) || RESERVED.contains(name)) {
                throw new IllegalArgumentException("not an extension member name: " + WimseException.sanitize(name));
            }
            if (members.containsKey(name)) {
                throw new IllegalArgumentException("extension member '" + name + "' is given twice");
            }
            members.put(name, value);
            return this;
        }

        /**
         * The problem.
         *
         * @throws IllegalArgumentException when the problem type's code or status is invalid, or more than
         *                                  {@value #MAX_MEMBERS} extension members were given
         */
        public ProblemDetails build() {
            if (members.size() > MAX_MEMBERS) {
                throw new IllegalArgumentException("at most " + MAX_MEMBERS + " extension members");
            }
            return new ProblemDetails(problem.code(), problem.title(), status, detail, instance, members);
        }

        static boolean isMemberName(String name) {
            if (name == null || name.length() < 3 || name.length() > 64) {
                return false;
            }
            char first = name.charAt(0);
            if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
                return false;
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                    return false;
                }
            }
            return true;
        }
    }
}
