package io.wimse4j.server.internal;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.server.ServerConfig;
import io.wimse4j.x509.Pem;
import io.wimse4j.x509.TlsCertificateAuthority;
import io.wimse4j.x509.TlsServerCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The server's own TLS PKI, bootstrapped on first start with {@code wimse-x509}'s
 * {@link TlsCertificateAuthority} and {@link TlsServerCertificate}: a CA (P-256, 10 years) and a server
 * certificate it signs (P-256, 1 year, SANs {@code localhost}, the configured DNS names, {@code 127.0.0.1}
 * and {@code ::1}; EKU serverAuth; not a WIC). Stored in the state directory as {@code ca.pem},
 * {@code ca-key.pem}, {@code server.pem}, {@code server-key.pem} (PEM; owner-only and replaced atomically
 * by {@link StateDir}, KEY-1). The server certificate is re-issued when it is missing or unreadable,
 * expires within {@link #RENEW_BEFORE}, lacks a configured name, or was not issued by the CA.
 *
 * <p>With an {@linkplain ServerConfig.OperatorTls operator-provided certificate} ({@code tls-cert},
 * {@code tls-key}) there is no built-in CA: nothing is created or read in the state directory, the
 * server presents the operator's chain, and {@link #caPem()} is null ({@code GET /ca.pem} answers 404):
 * clients trust the operator's CA, which this server does not know. The files are read once, at start,
 * and checked ({@link TlsServerCertificate#load}: the key is the leaf's, the leaf is valid now and may
 * serve TLS; every configured DNS name is among its SANs); a failure refuses the start with a message
 * naming the file and the problem, never key material.
 */
public final class ServerTls {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);
    /** The CA certificate file (the TLS trust anchor clients need). */
    public static final String CA_CERT = "ca.pem";
    private static final String CA_KEY = "ca-key.pem";
    private static final String SERVER_CERT = "server.pem";
    private static final String SERVER_KEY = "server-key.pem";
    /** A server certificate expiring within this is re-issued at start: 30 days. */
    public static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration SERVER_VALIDITY = Duration.ofDays(365);
    private static final List<String> LOOPBACK = List.of("127.0.0.1", "::1");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate caCert;
    private final String caPem;
    private final TlsServerCertificate server;

    private ServerTls(X509Certificate caCert, TlsServerCertificate server) {
        this.caCert = caCert;
        this.caPem = caCert == null ? null : Pem.encodeCertificates(List.of(caCert));
        this.server = server;
    }

    /** The TLS of {@code config}: its operator-provided certificate when it has one, otherwise the built-in CA's. */
    public static ServerTls bootstrap(StateDir state, ServerConfig config, Clock clock) throws IOException {
        if (config.operatorTls().isPresent()) {
            return operatorProvided(config.operatorTls().get(), config.dnsNames(), clock);
        }
        return bootstrap(state, config.dnsNames(), clock);
    }

    /**
     * The operator's certificate chain and key, checked; refuses (an {@link IOException} whose message says
     * which file and what is wrong) a file that is missing or not strict PEM, a key that is not the leaf's,
     * a leaf that is not valid now or cannot serve TLS, and a leaf lacking one of {@code dnsNames}.
     */
    public static ServerTls operatorProvided(ServerConfig.OperatorTls files, List<String> dnsNames, Clock clock)
            throws IOException {
        List<X509Certificate> chain = read("tls-cert", files.certificateChain(), Pem::readCertificates);
        PrivateKey key = read("tls-key", files.privateKey(), Pem::readPrivateKey);
        TlsServerCertificate cert;
        try {
            cert = TlsServerCertificate.load(chain, key, clock);
        } catch (WimseException e) {
            throw new IOException("tls-cert " + files.certificateChain() + " and tls-key " + files.privateKey()
                    + ": " + e.detail(), e);
        }
        List<String> missing = dnsNames.stream().filter(n -> !covers(cert.dnsNames(), n)).toList();
        if (!missing.isEmpty()) {
            throw new IOException("tls-cert " + files.certificateChain() + ": the certificate lacks the configured"
                    + " DNS name(s) " + missing + " (its DNS names: " + cert.dnsNames() + ")");
        }
        if (cert.notAfter().isBefore(clock.instant().plus(RENEW_BEFORE))) {
            LOG.warn("the operator-provided TLS certificate {} expires at {}: replace it and restart",
                    files.certificateChain(), cert.notAfter());
        }
        warnUnlessOwnerOnly(files.privateKey());
        return new ServerTls(null, cert);
    }

    private interface PemFile<T> {
        T read(Path file) throws IOException;
    }

    private static <T> T read(String key, Path file, PemFile<T> reading) throws IOException {
        try {
            return reading.read(file);
        } catch (NoSuchFileException e) {
            throw new IOException(key + " " + file + ": no such file", e);
        } catch (io.wimse4j.x509.PemException e) {
            throw new IOException(key + " " + e.getMessage(), e); // the message starts with the file
        } catch (IOException e) {
            throw new IOException(key + " " + file + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }

    /** Whether one of the certificate's DNS names (possibly a wildcard for one left-most label, RFC 6125) covers {@code name}. */
    public static boolean covers(List<String> certificateNames, String name) {
        int dot = name.indexOf('.');
        for (String c : certificateNames) {
            String n = c.toLowerCase(Locale.ROOT);
            if (n.equals(name) || n.startsWith("*.") && dot > 0 && n.substring(2).equals(name.substring(dot + 1))) {
                return true;
            }
        }
        return false;
    }

    private static void warnUnlessOwnerOnly(Path keyFile) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                LOG.warn("tls-key {} is accessible to others than its owner; make it owner-only (chmod 600, KEY-1)", keyFile);
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // no POSIX permissions to check
        }
    }

    /** Loads the PKI from {@code state}, creating what is missing. */
    public static ServerTls bootstrap(StateDir state, List<String> dnsNames, Clock clock) throws IOException {
        TlsCertificateAuthority ca = loadOrCreateCa(state, clock);
        Set<String> wanted = new LinkedHashSet<>(List.of("localhost"));
        wanted.addAll(dnsNames);
        Optional<TlsServerCertificate> stored = storedServerCertificate(state, ca, clock);
        Instant now = clock.instant();
        if (stored.isPresent() && stored.get().notAfter().isAfter(now.plus(RENEW_BEFORE))
                && stored.get().dnsNames().containsAll(wanted)) {
            return new ServerTls(ca.certificate(), stored.get());
        }
        TlsServerCertificate issued;
        try {
            TlsServerCertificate.Builder b = TlsServerCertificate.builder(ca).clock(clock).validity(SERVER_VALIDITY)
                    .dnsNames(List.copyOf(wanted));
            LOOPBACK.forEach(b::ipAddress);
            issued = b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IOException("cannot issue the TLS server certificate: " + e.getMessage(), e);
        }
        // the key first: a crash between the two writes leaves a certificate that is not the key's, re-issued next start
        state.writeAtomically(SERVER_KEY, Pem.encodePrivateKey(issued.privateKey()));
        state.writeAtomically(SERVER_CERT, Pem.encodeCertificates(List.of(issued.certificate())));
        return new ServerTls(ca.certificate(), issued);
    }

    /**
     * The CA of {@code ca.pem} and {@code ca-key.pem}; a new one when either is missing. An unreadable or
     * mismatched pair refuses the start: clients trust that CA, it is never replaced silently.
     */
    private static TlsCertificateAuthority loadOrCreateCa(StateDir state, Clock clock) throws IOException {
        Optional<String> caPem = state.readString(CA_CERT);
        Optional<String> caKey = state.readString(CA_KEY);
        if (caPem.isPresent() && caKey.isPresent()) {
            try {
                return TlsCertificateAuthority.load(Pem.certificate(caPem.get()), Pem.privateKey(caKey.get()));
            } catch (WimseException e) {
                throw new IOException("the TLS CA in " + CA_CERT + " and " + CA_KEY + " is unusable: " + e.detail(), e);
            } catch (IOException e) {
                throw new IOException("the TLS CA in " + CA_CERT + " and " + CA_KEY + " is unreadable: " + e.getMessage(), e);
            }
        }
        TlsCertificateAuthority ca = TlsCertificateAuthority.builder()
                .commonName("wimse4j Identity Server CA " + HexFormat.of().toHexDigits(RANDOM.nextLong()))
                .validity(CA_VALIDITY).clock(clock).build();
        // the half left over goes first, so that a crash leaves at most a key without a certificate (replaced again)
        Files.deleteIfExists(state.file(CA_CERT));
        state.writeAtomically(CA_KEY, Pem.encodePrivateKey(ca.privateKey()));
        state.writeAtomically(CA_CERT, ca.certificatePem());
        return ca;
    }

    /** The stored server certificate if it is readable, its key's, issued by {@code ca} and valid now. */
    private static Optional<TlsServerCertificate> storedServerCertificate(StateDir state, TlsCertificateAuthority ca, Clock clock)
            throws IOException {
        Optional<String> cert = state.readString(SERVER_CERT);
        Optional<String> key = state.readString(SERVER_KEY);
        if (cert.isEmpty() || key.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(TlsServerCertificate.load(List.of(Pem.certificate(cert.get()), ca.certificate()),
                    Pem.privateKey(key.get()), clock));
        } catch (WimseException | IOException e) {
            return Optional.empty(); // torn by a crash, expired, or of a previous CA: issue a new one
        }
    }

    /** Whether the server certificate is the built-in CA's (false: operator-provided). */
    public boolean hasBuiltInCa() {
        return caCert != null;
    }

    /** The built-in CA certificate; null with an operator-provided certificate. */
    public X509Certificate caCertificate() {
        return caCert;
    }

    /** The built-in CA certificate, PEM; null with an operator-provided certificate (then {@code /ca.pem} is 404). */
    public String caPem() {
        return caPem;
    }

    /**
     * The built-in CA certificate, PEM.
     *
     * @throws IllegalStateException with an operator-provided certificate
     */
    public String requireBuiltInCaPem() {
        if (caPem == null) {
            throw new IllegalStateException("the server's TLS uses an operator-provided certificate (tls-cert):"
                    + " clients trust the operator's CA; there is no built-in CA");
        }
        return caPem;
    }

    /** The chain the server presents: the leaf, then the built-in CA or the operator's intermediates. */
    public List<X509Certificate> chain() {
        return server.chain();
    }

    /** The server certificate. */
    public X509Certificate serverCertificate() {
        return server.certificate();
    }

    /** An in-memory key store with the server key and chain, protected by {@code password}. */
    public KeyStore keyStore(char[] password) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        PrivateKey key = server.privateKey();
        ks.setKeyEntry("server", key, password, server.chain().toArray(Certificate[]::new));
        return ks;
    }

    /** A trust store holding only the certificates of {@code caPem}: what a client needs to trust this server. */
    public static KeyStore trustStore(String caPem) throws GeneralSecurityException, IOException {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        List<X509Certificate> certs = Pem.certificates(caPem);
        for (int i = 0; i < certs.size(); i++) {
            ts.setCertificateEntry(i == 0 ? "wimse-ca" : "wimse-ca-" + i, certs.get(i));
        }
        return ts;
    }
}
