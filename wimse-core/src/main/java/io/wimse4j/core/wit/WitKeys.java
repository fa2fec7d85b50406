package io.wimse4j.core.wit;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.IdentifierSyntax;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsHeader;
import io.wimse4j.core.jose.JwtClaims;
import io.wimse4j.core.jose.KeySource;
import io.wimse4j.core.jose.SignatureVerifier;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSource;

import java.util.List;
import java.util.Optional;

/**
 * The keys one WIT may be signed with, for one verification: its {@code sub}, validated first and
 * never normalized (ID3-2), names the trust domain whose bundle alone is asked (ID-3, C2-2); the
 * profile's rules run before the signature (ALG-2); {@code kid} selects within the bundle (C2-1).
 * Remembers the subject and the bundle for the verified WIT.
 */
final class WitKeys implements KeySource {
    private final TrustBundleSource trust;
    private final IdentifierSyntax syntax;
    private final WitProfile profile;
    private final boolean requireKid;
    private WorkloadIdentifier subject;
    private TrustBundle bundle;

    WitKeys(TrustBundleSource trust, IdentifierSyntax syntax, WitProfile profile, boolean requireKid) {
        this.trust = trust;
        this.syntax = syntax;
        this.profile = profile;
        this.requireKid = requireKid;
    }

    @Override
    public List<SignatureVerifier> candidates(JwsHeader header, JwtClaims claims) throws WimseException {
        // ID3-2: the identifier is validated before its trust domain selects anything
        WorkloadIdentifier sub = WorkloadIdentifier.parse(claims.requiredString("sub"), syntax);
        profile.checkBeforeSignature(header, claims, sub);
        TrustBundle found = trust.bundleFor(sub.trustDomain()).filter(b -> b.trustDomain().equals(sub.trustDomain()))
                .orElseThrow(() -> new WimseException(Reason.UNTRUSTED_TRUST_DOMAIN, "no trust anchors for trust domain " + sub.trustDomain()));
        profile.checkBundle(found);
        Optional<String> kid = header.keyId();
        try {
            List<SignatureVerifier> keys = found.select(header.algorithm(), kid, requireKid);
            subject = sub;
            bundle = found;
            return keys;
        } catch (WimseException e) {
            if (e.reason() == Reason.UNKNOWN_KEY) {
                trust.keyNotFound(sub.trustDomain(), kid);
            }
            throw e;
        }
    }

    /** The subject, once {@link #candidates} ran. */
    WorkloadIdentifier subject() {
        return subject;
    }

    /** The bundle the keys came from, once {@link #candidates} ran. */
    TrustBundle bundle() {
        return bundle;
    }
}
