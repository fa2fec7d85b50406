package io.wimse4j.core.error;

import java.util.Objects;
import java.util.Optional;

/**
 * The one checked exception of wimse4j: a credential, proof or request was rejected, for the
 * {@link Reason} given. The {@link #detail()} explains the failure for logs and problem details;
 * it never contains a token or key material.
 *
 * <p>A receiver answers {@link #httpStatus()}: the reason's status, or 401 when the failure carries an
 * authentication {@link #challenge()} to send in {@code WWW-Authenticate} (a credential failure of the
 * wpt-02 transport, P2-4).
 */
public final class WimseException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Reason reason;
    private final String detail;
    private final String challenge;

    /** Creates an exception for {@code reason} with a human-readable {@code detail}. */
    public WimseException(Reason reason, String detail) {
        this(reason, detail, null);
    }

    /** Creates an exception for {@code reason} with a detail and an underlying cause. */
    public WimseException(Reason reason, String detail, Throwable cause) {
        this(reason, sanitize(detail), cause, null);
    }

    private WimseException(Reason reason, String detail, Throwable cause, String challenge) {
        super(Objects.requireNonNull(reason, "reason") + ": " + detail, cause, false, false);
        this.reason = reason;
        this.detail = detail;
        this.challenge = challenge;
    }

    /**
     * This failure as a credential failure of the HTTP authentication scheme {@code scheme}: the same
     * reason, detail and cause, answered 401 with {@code WWW-Authenticate: <scheme>} (RFC 9110 section
     * 11.6.1; P2-4 for the scheme {@code WPT}).
     *
     * @throws IllegalArgumentException when {@code scheme} is not an HTTP token
     * @throws IllegalStateException    when the reason is not a {@linkplain Reason#isCredentialFailure() credential
     *                                  failure} (a malformed request stays 400, a store that is down 503)
     */
    public WimseException challenging(String scheme) {
        if (!reason.isCredentialFailure()) {
            throw new IllegalStateException(reason + " is not a credential failure and is never answered 401");
        }
        if (scheme == null || scheme.isEmpty() || !scheme.chars().allMatch(WimseException::isTokenChar)) {
            throw new IllegalArgumentException("an authentication scheme is an HTTP token");
        }
        return new WimseException(reason, detail, getCause(), scheme);
    }

    private static boolean isTokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /**
     * The authentication scheme a 401 answer challenges with in {@code WWW-Authenticate}, e.g.
     * {@code WPT} (P2-4); empty for a failure answered with the reason's own status.
     */
    public Optional<String> challenge() {
        return Optional.ofNullable(challenge);
    }

    /** The HTTP status to answer: 401 for a {@link #challenge()}, otherwise {@link Reason#httpStatus()} (V-14, P2-4). */
    public int httpStatus() {
        return challenge != null ? 401 : reason.httpStatus();
    }

    /** Longest detail kept; details may quote attacker-chosen names (an {@code alg}, a header). */
    public static final int MAX_DETAIL_LENGTH = 300;

    /** Replaces control characters (log injection) and truncates to {@link #MAX_DETAIL_LENGTH}. */
    static String sanitize(String detail) {
        if (detail == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(detail.length(), MAX_DETAIL_LENGTH + 3));
        for (int i = 0; i < detail.length() && sb.length() < MAX_DETAIL_LENGTH; i++) {
            char c = detail.charAt(i);
            sb.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c);
        }
        if (detail.length() > MAX_DETAIL_LENGTH) {
            sb.append("...");
        }
        return sb.toString();
    }

    /** Why the input was rejected. */
    public Reason reason() {
        return reason;
    }

    /** A human-readable explanation; safe to log and to return in a problem-details body. */
    public String detail() {
        return detail;
    }
}
