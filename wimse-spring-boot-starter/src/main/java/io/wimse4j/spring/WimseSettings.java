package io.wimse4j.spring;

import io.wimse4j.client.HttpJwksTrustBundleSource;
import io.wimse4j.client.InitialAttestation;
import io.wimse4j.client.SpiffeX509TrustSource;
import io.wimse4j.client.TlsTrust;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSource;
import io.wimse4j.core.observe.WimseObserver;
import io.wimse4j.core.wpt.WptTransport;
import io.wimse4j.x509.X509TrustBundle;
import io.wimse4j.x509.X509TrustSource;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@link WimseProperties} into library objects, refusing contradictory or missing settings with
 * an {@link IllegalStateException} that names the property, so the application fails at start.
 */
final class WimseSettings {
    private WimseSettings() {
    }

    /** The trust domains' names, checked: each named once, each with exactly one key source (ID-3). */
    static List<TrustDomain> trustDomains(WimseProperties p) {
        List<TrustDomain> names = new ArrayList<>();
        Set<TrustDomain> seen = new HashSet<>();
        List<WimseProperties.TrustDomain> domains = p.getTrustDomains();
        for (int i = 0; i < domains.size(); i++) {
            WimseProperties.TrustDomain d = domains.get(i);
            String at = "wimse.trust-domains[" + i + "]";
            if (d.getName() == null || d.getName().isBlank()) {
                throw new IllegalStateException(at + ".name is required");
            }
            TrustDomain td;
            try {
                td = new TrustDomain(d.getName());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(at + ".name '" + d.getName() + "' is not a trust domain name: " + e.getMessage(), e);
            }
            if (!seen.add(td)) {
                throw new IllegalStateException(at + ".name: trust domain " + td + " is configured twice");
            }
            int sources = (d.getJwksUrl() != null ? 1 : 0) + (d.getSpiffeBundleUrl() != null ? 1 : 0) + (d.getBundleFile() != null ? 1 : 0);
            if (sources > 1 || (sources == 0 && d.getX509BundleFile() == null)) {
                throw new IllegalStateException(at + ": set exactly one of jwks-url, spiffe-bundle-url and bundle-file (found " + sources + ")"
                        + (sources == 0 ? ", or only x509-bundle-file for a domain whose workloads call by mutual TLS" : ""));
            }
            if (d.getBundleFile() != null && (d.getCaFile() != null || d.isAllowInsecureHttp())) {
                throw new IllegalStateException(at + ": ca-file and allow-insecure-http apply to a bundle URL, not to bundle-file");
            }
            names.add(td);
        }
        return names;
    }

    /** The receiving side's settings, checked before anything is built. */
    static void checkService(WimseProperties p) {
        WimseProperties.Service s = p.getService();
        if (s.getBaseUri() == null) {
            throw new IllegalStateException("wimse.service.base-uri is required to verify requests");
        }
        if (trustDomains(p).isEmpty() && !s.isMutualTls()) {
            throw new IllegalStateException("wimse.service.base-uri is set but no wimse.trust-domains are: a verifier needs the keys of at least one trust domain");
        }
        if (s.getWptTransports() == null || s.getWptTransports().isEmpty()) {
            throw new IllegalStateException("wimse.service.wpt-transports must name at least one transport (authorization, workload-proof-token)");
        }
        if (s.isMutualTls() && s.isHttpSignatures()) {
            throw new IllegalStateException("wimse.service.mutual-tls=true contradicts wimse.service.http-signatures=true: choose one way to authenticate callers");
        }
        if (s.isMutualTls() && p.getTrustDomains().stream().noneMatch(d -> d.getX509BundleFile() != null || d.getSpiffeBundleUrl() != null)) {
            throw new IllegalStateException("wimse.service.mutual-tls=true needs the X.509 anchors of a trust domain: set wimse.trust-domains[i].x509-bundle-file or spiffe-bundle-url");
        }
        for (int i = 0; i < s.getAuthorization().getRules().size(); i++) {
            WimseProperties.Rule r = s.getAuthorization().getRules().get(i);
            String at = "wimse.service.authorization.rules[" + i + "]";
            if (r.getPath() == null || r.getPath().isBlank()) {
                throw new IllegalStateException(at + ".path is required");
            }
            if (r.getCallers().isEmpty() && r.getTrustDomains().isEmpty()) {
                throw new IllegalStateException(at + ": name at least one of callers and trust-domains (a rule allowing nobody is a denial: leave the path out)");
            }
            for (String c : r.getCallers()) {
                try {
                    WorkloadIdentifier.parse(c);
                } catch (WimseException | RuntimeException e) {
                    throw new IllegalStateException(at + ".callers: '" + c + "' is not a workload identifier", e);
                }
            }
            for (String td : r.getTrustDomains()) {
                try {
                    new TrustDomain(td);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(at + ".trust-domains: '" + td + "' is not a trust domain name", e);
                }
            }
        }
    }

    /** The accepted WPT transports. */
    static Set<WptTransport> transports(Set<WimseProperties.WptTransportName> names) {
        Set<WptTransport> set = EnumSet.noneOf(WptTransport.class);
        for (WimseProperties.WptTransportName n : names) {
            set.add(transport(n));
        }
        return set;
    }

    static WptTransport transport(WimseProperties.WptTransportName name) {
        return name == WimseProperties.WptTransportName.AUTHORIZATION ? WptTransport.AUTHORIZATION : WptTransport.WORKLOAD_PROOF_TOKEN;
    }

    /** The trust source of every configured domain: files read now, URLs fetched in the background. */
    static WimseTrustSources trust(WimseProperties p, WimseObserver observer) {
        trustDomains(p);
        List<TrustBundle> files = new ArrayList<>();
        // one HTTP source per distinct TLS setting (ca-file, allow-insecure-http)
        Map<List<Object>, HttpJwksTrustBundleSource.Builder> http = new LinkedHashMap<>();
        List<WimseProperties.TrustDomain> domains = p.getTrustDomains();
        for (int i = 0; i < domains.size(); i++) {
            WimseProperties.TrustDomain d = domains.get(i);
            String at = "wimse.trust-domains[" + i + "]";
            TrustDomain td = new TrustDomain(d.getName());
            if (d.getBundleFile() != null) {
                try {
                    files.add(TrustBundle.fromJwks(td, read(d.getBundleFile(), at + ".bundle-file")));
                } catch (WimseException e) {
                    throw new IllegalStateException(at + ".bundle-file " + d.getBundleFile() + " is not a JWKS or SPIFFE bundle: " + e.getMessage(), e);
                }
                continue;
            }
            URI url = d.getJwksUrl() != null ? d.getJwksUrl() : d.getSpiffeBundleUrl();
            if (url == null) {
                continue; // x509-bundle-file only: anchors for mutual TLS, no WIT keys
            }
            if (!"https".equalsIgnoreCase(url.getScheme()) && !("http".equalsIgnoreCase(url.getScheme()) && d.isAllowInsecureHttp())) {
                throw new IllegalStateException(at + ": the bundle URL " + url + " must be https:// (SEC-1; allow-insecure-http=true for tests only)");
            }
            HttpJwksTrustBundleSource.Builder b = http.computeIfAbsent(List.of(Optional.ofNullable(d.getCaFile()), d.isAllowInsecureHttp()), k -> {
                HttpJwksTrustBundleSource.Builder nb = HttpJwksTrustBundleSource.builder().allowInsecureHttp(d.isAllowInsecureHttp());
                if (d.getCaFile() != null) {
                    nb.sslContext(sslContext(d.getCaFile(), at + ".ca-file"));
                }
                return nb;
            });
            b.trustDomain(td, url);
        }
        List<HttpJwksTrustBundleSource> sources = new ArrayList<>();
        for (HttpJwksTrustBundleSource.Builder b : http.values()) {
            sources.add(WimseObserverWiring.jwksTrust(b, observer).build());
        }
        return new WimseTrustSources(files, sources);
    }

    /** The X.509 anchors for mutual TLS: the x509-bundle-file PEMs, then SPIFFE bundles' x509-svid keys. */
    static X509TrustSource x509Trust(WimseProperties p, TrustBundleSource trust) {
        Map<TrustDomain, X509TrustBundle> files = new LinkedHashMap<>();
        List<WimseProperties.TrustDomain> domains = p.getTrustDomains();
        for (int i = 0; i < domains.size(); i++) {
            WimseProperties.TrustDomain d = domains.get(i);
            if (d.getX509BundleFile() != null) {
                String at = "wimse.trust-domains[" + i + "].x509-bundle-file";
                TrustDomain td = new TrustDomain(d.getName());
                try {
                    files.put(td, X509TrustBundle.fromPem(td, read(d.getX509BundleFile(), at)));
                } catch (WimseException e) {
                    throw new IllegalStateException(at + " " + d.getX509BundleFile() + " holds no usable CA certificate: " + e.getMessage(), e);
                }
            }
        }
        List<X509TrustSource> spiffe = trust instanceof WimseTrustSources w
                ? w.httpSources().stream().map(s -> (X509TrustSource) SpiffeX509TrustSource.of(s)).toList() : List.of();
        return td -> {
            X509TrustBundle file = files.get(td);
            if (file != null) {
                return Optional.of(file);
            }
            for (X509TrustSource s : spiffe) {
                Optional<X509TrustBundle> b = s.bundleFor(td);
                if (b.isPresent()) {
                    return b;
                }
            }
            return Optional.empty();
        };
    }

    /** The first-WIT attestation of {@code wimse.identity-server.*}: exactly one of the three. */
    static InitialAttestation attestation(WimseProperties.IdentityServer s) {
        int given = (s.getJoinToken() != null && !s.getJoinToken().isBlank() ? 1 : 0) + (s.getJoinTokenFile() != null ? 1 : 0)
                + (s.getKubernetesTokenFile() != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalStateException("wimse.identity-server.url needs exactly one of wimse.identity-server.join-token,"
                    + " join-token-file and kubernetes-token-file (found " + given + ")");
        }
        if (s.getJoinTokenFile() != null) {
            return InitialAttestation.joinTokenFile(s.getJoinTokenFile());
        }
        if (s.getKubernetesTokenFile() != null) {
            return InitialAttestation.kubernetesTokenFile(s.getKubernetesTokenFile());
        }
        return InitialAttestation.joinToken(s.getJoinToken());
    }

    static void checkIdentityServer(WimseProperties.IdentityServer s) {
        URI url = Objects.requireNonNull(s.getUrl());
        if (!"https".equalsIgnoreCase(url.getScheme()) && !("http".equalsIgnoreCase(url.getScheme()) && s.isAllowInsecureHttp())) {
            throw new IllegalStateException("wimse.identity-server.url " + url + " must be https:// (SEC-1; allow-insecure-http=true for tests only)");
        }
        if (s.getCaFile() != null && "http".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalStateException("wimse.identity-server.ca-file is set but wimse.identity-server.url is http://");
        }
    }

    static javax.net.ssl.SSLContext sslContext(Path caFile, String property) {
        try {
            return TlsTrust.fromCaPem(caFile);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(property + " " + caFile + " cannot be read as PEM CA certificates: " + e.getMessage(), e);
        }
    }

    private static String read(Path file, String property) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(property + " " + file + " cannot be read: " + e, e);
        }
    }
}
