package io.wimse4j.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code wimse.*} properties: trust domains, the receiving service ({@code wimse.service.*}), the
 * Identity Server the workload gets its credentials from ({@code wimse.identity-server.*}) and how
 * outgoing calls are signed ({@code wimse.client.*}). Nothing is configured unless
 * {@code wimse.service.base-uri} (receiving side) or {@code wimse.identity-server.url} (calling side)
 * is set; contradictory or missing settings fail the application's start with a message naming the
 * property ({@link WimseSettings}).
 */
@ConfigurationProperties(prefix = "wimse")
public class WimseProperties {
    /** Whether the wimse4j auto-configuration is active at all. */
    private boolean enabled = true;

    /** The trusted trust domains and where their keys come from (ID-3); one entry per trust domain. */
    private List<TrustDomain> trustDomains = new ArrayList<>();

    /** The receiving side: how incoming requests are verified. */
    private Service service = new Service();

    /** The Identity Server this workload obtains its WITs from (calling side). */
    private IdentityServer identityServer = new IdentityServer();

    /** How outgoing calls are signed. */
    private Client client = new Client();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<TrustDomain> getTrustDomains() {
        return trustDomains;
    }

    public void setTrustDomains(List<TrustDomain> trustDomains) {
        this.trustDomains = trustDomains;
    }

    public Service getService() {
        return service;
    }

    public void setService(Service service) {
        this.service = service;
    }

    public IdentityServer getIdentityServer() {
        return identityServer;
    }

    public void setIdentityServer(IdentityServer identityServer) {
        this.identityServer = identityServer;
    }

    public Client getClient() {
        return client;
    }

    public void setClient(Client client) {
        this.client = client;
    }

    /** One trusted trust domain: exactly one key source (a JWKS URL, a SPIFFE bundle URL or a bundle file). */
    public static class TrustDomain {
        /** The trust domain's name, e.g. {@code example.org}. */
        private String name;

        /** HTTPS URL of the trust domain's JWKS, e.g. {@code https://wimse.example.org/.well-known/jwks.json}; refetched in the background. */
        private URI jwksUrl;

        /** HTTPS URL of the trust domain's SPIFFE bundle (ALG-2), e.g. {@code https://wimse.example.org/v1/trust-bundle/spiffe}; its x509-svid anchors also validate WICs for mutual TLS. */
        private URI spiffeBundleUrl;

        /** A file holding the trust domain's JWKS or SPIFFE bundle, read once at start. */
        private Path bundleFile;

        /** A PEM file of the CA certificates that issue this trust domain's Workload Identity Certificates (mutual TLS). */
        private Path x509BundleFile;

        /** A PEM file of the CA certificates trusted for the HTTPS fetches of this domain's bundle URL (default: the JDK's trust store). */
        private Path caFile;

        /** Whether the bundle URL may be plain http:// (SEC-1: only for tests and local development). */
        private boolean allowInsecureHttp;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public URI getJwksUrl() {
            return jwksUrl;
        }

        public void setJwksUrl(URI jwksUrl) {
            this.jwksUrl = jwksUrl;
        }

        public URI getSpiffeBundleUrl() {
            return spiffeBundleUrl;
        }

        public void setSpiffeBundleUrl(URI spiffeBundleUrl) {
            this.spiffeBundleUrl = spiffeBundleUrl;
        }

        public Path getBundleFile() {
            return bundleFile;
        }

        public void setBundleFile(Path bundleFile) {
            this.bundleFile = bundleFile;
        }

        public Path getX509BundleFile() {
            return x509BundleFile;
        }

        public void setX509BundleFile(Path x509BundleFile) {
            this.x509BundleFile = x509BundleFile;
        }

        public Path getCaFile() {
            return caFile;
        }

        public void setCaFile(Path caFile) {
            this.caFile = caFile;
        }

        public boolean isAllowInsecureHttp() {
            return allowInsecureHttp;
        }

        public void setAllowInsecureHttp(boolean allowInsecureHttp) {
            this.allowInsecureHttp = allowInsecureHttp;
        }
    }

    /** The receiving service. */
    public static class Service {
        /** The service's external base URI as callers address it, e.g. {@code https://orders.example.org}; never taken from Host (V-6). Setting it turns verification on. */
        private URI baseUri;

        /** Further accepted audiences besides the target URI (agreed aliases, V-6). */
        private List<String> audiences = new ArrayList<>();

        /** Allowed clock skew, 0 to 5 minutes. */
        private Duration leeway = Duration.ofSeconds(60);

        /** Longest acceptable proof lifetime, 1 s to 1 h (V-7). */
        private Duration maxProofLifetime = Duration.ofSeconds(300);

        /** The WPT transports accepted: {@code authorization} (wpt-02's Authorization: WPT, P2-1) and {@code workload-proof-token} (the seed drafts' header). */
        private Set<WptTransportName> wptTransports = EnumSet.allOf(WptTransportName.class);

        /** Whether requests signed with HTTP Message Signatures (RFC 9421, HS-1..HS-9) are accepted besides WPTs. */
        private boolean httpSignatures;

        /** Whether callers authenticate by mutual TLS with a Workload Identity Certificate (MT-1..MT-6) instead of tokens; needs server.ssl with client-auth. */
        private boolean mutualTls;

        /** Where proof identifiers are remembered against replay (V-9): {@code memory} or {@code redis} (Spring Data Redis's connection). */
        private ReplayStore replayStore = ReplayStore.MEMORY;

        /** Which caller may send which request; translated into the default SecurityFilterChain's authorizeHttpRequests. */
        private Authorization authorization = new Authorization();

        public URI getBaseUri() {
            return baseUri;
        }

        public void setBaseUri(URI baseUri) {
            this.baseUri = baseUri;
        }

        public List<String> getAudiences() {
            return audiences;
        }

        public void setAudiences(List<String> audiences) {
            this.audiences = audiences;
        }

        public Duration getLeeway() {
            return leeway;
        }

        public void setLeeway(Duration leeway) {
            this.leeway = leeway;
        }

        public Duration getMaxProofLifetime() {
            return maxProofLifetime;
        }

        public void setMaxProofLifetime(Duration maxProofLifetime) {
            this.maxProofLifetime = maxProofLifetime;
        }

        public Set<WptTransportName> getWptTransports() {
            return wptTransports;
        }

        public void setWptTransports(Set<WptTransportName> wptTransports) {
            this.wptTransports = wptTransports;
        }

        public boolean isHttpSignatures() {
            return httpSignatures;
        }

        public void setHttpSignatures(boolean httpSignatures) {
            this.httpSignatures = httpSignatures;
        }

        public boolean isMutualTls() {
            return mutualTls;
        }

        public void setMutualTls(boolean mutualTls) {
            this.mutualTls = mutualTls;
        }

        public ReplayStore getReplayStore() {
            return replayStore;
        }

        public void setReplayStore(ReplayStore replayStore) {
            this.replayStore = replayStore;
        }

        public Authorization getAuthorization() {
            return authorization;
        }

        public void setAuthorization(Authorization authorization) {
            this.authorization = authorization;
        }
    }

    /** The service's authorization: path rules, and paths open to anyone. */
    public static class Authorization {
        /** Path patterns answered without any caller credentials, e.g. {@code /actuator/health}. */
        private List<String> permitAll = new ArrayList<>();

        /** Rules in order, the first matching rule decides; once there is one, a request no rule matches is denied (403). */
        private List<Rule> rules = new ArrayList<>();

        public List<String> getPermitAll() {
            return permitAll;
        }

        public void setPermitAll(List<String> permitAll) {
            this.permitAll = permitAll;
        }

        public List<Rule> getRules() {
            return rules;
        }

        public void setRules(List<Rule> rules) {
            this.rules = rules;
        }
    }

    /** One authorization rule: a path pattern, optional methods, and the callers allowed (ID-2). */
    public static class Rule {
        /** The path pattern, e.g. {@code /orders/**}. */
        private String path;

        /** The HTTP methods the rule applies to (default: all). */
        private List<String> methods = new ArrayList<>();

        /** Workload identifiers allowed, e.g. {@code wimse://example.org/svc/billing}. */
        private List<String> callers = new ArrayList<>();

        /** Trust domains whose every workload is allowed, e.g. {@code example.org}. */
        private List<String> trustDomains = new ArrayList<>();

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public List<String> getMethods() {
            return methods;
        }

        public void setMethods(List<String> methods) {
            this.methods = methods;
        }

        public List<String> getCallers() {
            return callers;
        }

        public void setCallers(List<String> callers) {
            this.callers = callers;
        }

        public List<String> getTrustDomains() {
            return trustDomains;
        }

        public void setTrustDomains(List<String> trustDomains) {
            this.trustDomains = trustDomains;
        }
    }

    /** The Identity Server this workload gets its WITs from ({@code docs/identity-server-api.md}). */
    public static class IdentityServer {
        /** The Identity Server's external base URI, e.g. {@code https://wimse.example.org}. Setting it turns the calling side on. */
        private URI url;

        /** A PEM file of the CA that issued the Identity Server's TLS certificate (its GET /ca.pem). */
        private Path caFile;

        /** A one-time join token for the first WIT (prefer join-token-file). */
        private String joinToken;

        /** A file holding the one-time join token for the first WIT. */
        private Path joinTokenFile;

        /** A Kubernetes service-account token file, re-read at each use, for the first WIT. */
        private Path kubernetesTokenFile;

        /** Whether the url may be plain http:// (SEC-1: only for tests and local development). */
        private boolean allowInsecureHttp;

        public URI getUrl() {
            return url;
        }

        public void setUrl(URI url) {
            this.url = url;
        }

        public Path getCaFile() {
            return caFile;
        }

        public void setCaFile(Path caFile) {
            this.caFile = caFile;
        }

        public String getJoinToken() {
            return joinToken;
        }

        public void setJoinToken(String joinToken) {
            this.joinToken = joinToken;
        }

        public Path getJoinTokenFile() {
            return joinTokenFile;
        }

        public void setJoinTokenFile(Path joinTokenFile) {
            this.joinTokenFile = joinTokenFile;
        }

        public Path getKubernetesTokenFile() {
            return kubernetesTokenFile;
        }

        public void setKubernetesTokenFile(Path kubernetesTokenFile) {
            this.kubernetesTokenFile = kubernetesTokenFile;
        }

        public boolean isAllowInsecureHttp() {
            return allowInsecureHttp;
        }

        public void setAllowInsecureHttp(boolean allowInsecureHttp) {
            this.allowInsecureHttp = allowInsecureHttp;
        }
    }

    /** How outgoing calls made through the starter's RestClient/WebClient configurers are signed. */
    public static class Client {
        /** The proof each request carries: {@code wpt} (a Workload Proof Token) or {@code http-signature} (RFC 9421, HS-1). */
        private ClientProof proof = ClientProof.WPT;

        /** With proof=wpt, where the WPT travels: {@code authorization} (wpt-02) or {@code workload-proof-token} (seed drafts). */
        private WptTransportName wptTransport = WptTransportName.AUTHORIZATION;

        public ClientProof getProof() {
            return proof;
        }

        public void setProof(ClientProof proof) {
            this.proof = proof;
        }

        public WptTransportName getWptTransport() {
            return wptTransport;
        }

        public void setWptTransport(WptTransportName wptTransport) {
            this.wptTransport = wptTransport;
        }
    }

    /** The WPT transports by property value. */
    public enum WptTransportName {
        /** {@code Authorization: WPT <wpt>} (draft-ietf-wimse-wpt-02, P2-1). */
        AUTHORIZATION,
        /** The {@code Workload-Proof-Token} header of the seed drafts. */
        WORKLOAD_PROOF_TOKEN
    }

    /** Where the replay cache lives. */
    public enum ReplayStore {
        /** A bounded in-memory cache per instance (core's InMemoryReplayCache). */
        MEMORY,
        /** Redis through Spring Data Redis's connection details (wimse-redis's RedisReplayCache), shared by a cluster. */
        REDIS
    }

    /** The proof outgoing calls carry. */
    public enum ClientProof {
        /** A Workload Proof Token per request. */
        WPT,
        /** An HTTP Message Signature per request (RFC 9421). */
        HTTP_SIGNATURE
    }
}
