package io.wimse4j.cli;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code --trust <trust-domain>=<jwks-file>} option of the verifying commands: each trust domain
 * with the Identity Server keys of a JWKS, one public JWK or a SPIFFE bundle read from a file (ID-3).
 */
final class TrustOption {
    private TrustOption() {
    }

    /** The trust bundles of the {@code --trust} values; each trust domain at most once. */
    static TrustBundleSet bundles(List<String> trust, InputStream stdin) {
        List<TrustBundle> bundles = new ArrayList<>();
        Set<TrustDomain> seen = new LinkedHashSet<>();
        for (String t : trust) {
            int eq = t.indexOf('=');
            if (eq <= 0 || eq == t.length() - 1) {
                throw CliException.usage("--trust must be <trust-domain>=<jwks-file>, got '" + t + "'");
            }
            TrustDomain td;
            try {
                td = TrustDomain.parse(t.substring(0, eq));
            } catch (WimseException e) {
                throw CliException.usage("--trust: " + e.detail());
            }
            if (!seen.add(td)) {
                throw CliException.usage("--trust: trust domain " + td + " is given twice");
            }
            String file = t.substring(eq + 1);
            String jwks = Inputs.readText(file, stdin, "JWKS");
            try {
                bundles.add(TrustBundle.fromJwks(td, jwks));
            } catch (WimseException e) {
                throw CliException.badInput("--trust " + td + ": bad JWKS in '" + file + "'", e);
            }
        }
        return TrustBundleSet.of(bundles);
    }
}
