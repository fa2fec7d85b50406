package io.wimse4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import javax.security.auth.x500.X500Principal;
import java.io.PrintWriter;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code wimse wic inspect}: prints each certificate of a PEM chain (subject, issuer, URI, DNS and IP
 * SANs, extended key usages, CA flag, validity, serial, key type) <em>without validating it</em>, like
 * {@code wimse inspect} for tokens. Nothing printed here may be trusted; {@code wimse wic verify}
 * validates.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Decode a PEM certificate chain WITHOUT validating it: subject, issuer, SANs, EKUs, validity, serial, key.",
                "Nothing is checked; use 'wimse wic verify' to validate a chain against trust anchors."})
final class WicInspectCommand implements Callable<Integer> {
    private static final Map<String, String> EKUS = Map.of("1.3.6.1.5.5.7.3.1", "serverAuth", "1.3.6.1.5.5.7.3.2", "clientAuth",
            "1.3.6.1.5.5.7.3.3", "codeSigning", "1.3.6.1.5.5.7.3.4", "emailProtection", "1.3.6.1.5.5.7.3.8", "timeStamping",
            "1.3.6.1.5.5.7.3.9", "OCSPSigning", "2.5.29.37.0", "anyExtendedKeyUsage");

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<pem-file|->", description = "The PEM chain (leaf first), or '-' for standard input.")
    private String file;

    @Option(names = "--now", paramLabel = "<epoch-seconds>", description = "Show validity as of this instant.")
    private Long now;

    @Override
    public Integer call() {
        List<X509Certificate> chain = X509Inputs.chain(file, ((WimseCli) spec.root().userObject()).stdin(), "certificate chain");
        Instant at = now != null ? Instant.ofEpochSecond(now) : Instant.now();
        PrintWriter out = spec.commandLine().getOut();
        out.println("NOT VERIFIED: decoded only; the signatures, the path and the trust domain have not been checked.");
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            out.println();
            out.println("Certificate " + (i + 1) + " of " + chain.size() + (i == 0 ? " (leaf)" : ""));
            out.println("  Subject:      " + name(c.getSubjectX500Principal()));
            out.println("  Issuer:       " + name(c.getIssuerX500Principal()));
            out.println("  Serial:       " + c.getSerialNumber().toString(16));
            out.println("  Key:          " + keyType(c.getPublicKey()));
            out.println("  CA:           " + (c.getBasicConstraints() < 0 ? "no"
                    : "yes" + (c.getBasicConstraints() == Integer.MAX_VALUE ? "" : " (path length " + c.getBasicConstraints() + ")")));
            out.println("  URI SANs:     " + list(sans(c, 6)));
            out.println("  DNS SANs:     " + list(sans(c, 2)));
            List<String> ips = sans(c, 7);
            if (!ips.isEmpty()) {
                out.println("  IP SANs:      " + list(ips));
            }
            out.println("  EKUs:         " + list(ekus(c)));
            Instant nb = c.getNotBefore().toInstant();
            Instant na = c.getNotAfter().toInstant();
            out.println("  Not before:   " + nb + " (" + nb.getEpochSecond() + ")");
            out.println("  Not after:    " + na + " (" + na.getEpochSecond() + ")");
            out.println("  Validity:     " + (at.isBefore(nb) ? "NOT YET VALID" : at.isAfter(na) ? "EXPIRED" : "within its validity")
                    + " as of " + at.getEpochSecond());
        }
        out.flush();
        return WimseCli.OK;
    }

    private static String name(X500Principal p) {
        String n = p.getName(X500Principal.RFC2253);
        return n.isEmpty() ? "(empty)" : n;
    }

    private static String list(List<String> values) {
        return values.isEmpty() ? "(none)" : String.join(", ", values);
    }

    /** The SANs of {@code type} (2 DNS, 6 URI, 7 IP), in the certificate's order. */
    static List<String> sans(X509Certificate c, int type) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> all = c.getSubjectAlternativeNames();
            if (all != null) {
                for (List<?> san : all) {
                    if (san.size() >= 2 && Integer.valueOf(type).equals(san.get(0))) {
                        out.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            out.add("(unreadable: " + e.getMessage() + ")");
        }
        return out;
    }

    private static List<String> ekus(X509Certificate c) {
        List<String> out = new ArrayList<>();
        try {
            List<String> oids = c.getExtendedKeyUsage();
            if (oids != null) {
                oids.forEach(o -> out.add(EKUS.getOrDefault(o, o)));
            }
        } catch (CertificateParsingException e) {
            out.add("(unreadable: " + e.getMessage() + ")");
        }
        return out;
    }

    static String keyType(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return "EC P-" + bits + " (" + bits + " bits)";
        }
        if (key instanceof RSAPublicKey rsa) {
            return "RSA " + rsa.getModulus().bitLength() + " bits";
        }
        if (key instanceof java.security.interfaces.EdECPublicKey ed) {
            return ed.getParams().getName();
        }
        return key.getAlgorithm();
    }
}
