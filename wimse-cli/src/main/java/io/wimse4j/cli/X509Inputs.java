package io.wimse4j.cli;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.x509.Pem;
import io.wimse4j.x509.PemException;
import io.wimse4j.x509.X509TrustBundle;
import io.wimse4j.x509.X509TrustSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reading X.509 inputs of the commands: CA bundles per trust domain and PEM certificate chains. */
final class X509Inputs {
    private X509Inputs() {
    }

    /** {@code <trust-domain>=<ca.pem>} values of {@code option} (each trust domain once) as one trust source (MT-1). */
    static X509TrustSource trust(List<String> values, String option, InputStream stdin) {
        List<X509TrustBundle> bundles = new ArrayList<>();
        Set<TrustDomain> seen = new LinkedHashSet<>();
        for (String t : values) {
            int eq = t.indexOf('=');
            if (eq <= 0 || eq == t.length() - 1) {
                throw CliException.usage(option + " must be <trust-domain>=<ca.pem>, got '" + t + "'");
            }
            TrustDomain td;
            try {
                td = TrustDomain.parse(t.substring(0, eq));
            } catch (WimseException e) {
                throw CliException.usage(option + ": " + e.detail());
            }
            if (!seen.add(td)) {
                throw CliException.usage(option + ": trust domain " + td + " is given twice");
            }
            String file = t.substring(eq + 1);
            try {
                bundles.add(X509TrustBundle.fromPem(td, Inputs.readText(file, stdin, "CA bundle")));
            } catch (WimseException e) {
                throw CliException.badInput(option + " " + td + ": bad CA bundle in '" + file + "'", e);
            }
        }
        return X509TrustSource.of(bundles.toArray(X509TrustBundle[]::new));
    }

    /** The certificates of the PEM file {@code file} ({@code -}: standard input), leaf first. */
    static List<X509Certificate> chain(String file, InputStream stdin, String what) {
        String pem = new String(Inputs.readBytes(file, stdin, what), StandardCharsets.US_ASCII);
        try {
            List<X509Certificate> chain = Pem.certificates(pem);
            if (chain.isEmpty()) {
                throw CliException.usage(what + " '" + file + "' holds no certificate");
            }
            return chain;
        } catch (PemException e) {
            throw CliException.usage(what + " '" + file + "': " + e.getMessage());
        }
    }
}
