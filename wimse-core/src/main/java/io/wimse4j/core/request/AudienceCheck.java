package io.wimse4j.core.request;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.wpt.Audiences;

import java.net.URI;
import java.util.HashSet;
import java.util.Set;

/**
 * The WPT {@code aud} check of a {@link RequestVerifier} (V-6, WPT-4, SEC-3): the configured
 * audiences as given and normalized, and, when allowed, the request's target URI. What senders send,
 * the target exactly as {@link Audiences#of(URI)} writes it, is recognized in place, without parsing
 * a URI or building a string; any other value goes through {@link Audiences#normalize(String)} as
 * before. Immutable.
 */
final class AudienceCheck {
    private final Set<String> audiences;
    private final boolean acceptTargetUri;

    AudienceCheck(Set<String> configured, boolean acceptTargetUri) {
        Set<String> normalized = new HashSet<>();
        for (String a : configured) {
            normalized.add(a);
            normalized.add(Audiences.normalize(a));
        }
        this.audiences = Set.copyOf(normalized);
        this.acceptTargetUri = acceptTargetUri;
    }

    /** Accepts {@code aud} for a request to {@code target}, or throws {@link Reason#AUDIENCE_MISMATCH}. */
    void check(String aud, URI target) throws WimseException {
        if (audiences.contains(aud)) {
            return;
        }
        if (acceptTargetUri && isExactlyTarget(aud, target)) {
            return;
        }
        String normalized = Audiences.normalize(aud);
        if (audiences.contains(normalized)) {
            return;
        }
        if (acceptTargetUri && normalized.equals(Audiences.normalize(Audiences.of(target)))) {
            return;
        }
        throw new WimseException(Reason.AUDIENCE_MISMATCH, "WPT 'aud' is neither the target URI nor an accepted audience");
    }

    /**
     * True when {@code aud} is character for character {@link Audiences#of(URI)} of {@code target}
     * (scheme, {@code ://}, raw authority, raw path), compared in place. Such an {@code aud} also
     * matches after normalization, so this only answers sooner what the full comparison would.
     */
    static boolean isExactlyTarget(String aud, URI target) {
        String scheme = target.getScheme();
        String authority = target.getRawAuthority();
        String path = target.getRawPath() == null ? "" : target.getRawPath();
        int at = scheme.length() + 3;
        return aud.length() == at + authority.length() + path.length()
                && aud.startsWith(scheme) && aud.startsWith("://", scheme.length())
                && aud.startsWith(authority, at) && aud.startsWith(path, at + authority.length());
    }
}
