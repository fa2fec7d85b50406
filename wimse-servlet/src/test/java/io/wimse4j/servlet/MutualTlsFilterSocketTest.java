package io.wimse4j.servlet;

import io.wimse4j.core.authz.CallerAuthorizer;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.x509.HeldCertificate;
import io.wimse4j.x509.VerifiedWic;
import io.wimse4j.x509.WicUsage;
import io.wimse4j.x509.WicValidator;
import io.wimse4j.x509.X509TrustBundle;
import io.wimse4j.x509.X509TrustSource;
import io.wimse4j.x509.tls.WicKeyManager;
import io.wimse4j.x509.tls.WicTrustManager;
import io.wimse4j.x509.tls.WimseTls;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filter in mutual-TLS mode on Jetty over real TLS handshakes (WIC-4, MT-1, MT-2, MT-6): the caller is
 * the validated client certificate's URI SAN, headers never override it, the optional tokens must name the
 * same workload, and a request without a client certificate gets a problem.
 */
class MutualTlsFilterSocketTest {
    static final Clock CLOCK = Clock.systemUTC();
    static final TrustDomain TD = new TrustDomain("example.org");
    static final String CALLER = "wimse://example.org/svc/mtls-caller";
    static final URI BASE = URI.create("https://localhost");

    static final HeldCertificate CA = HeldCertificate.builder().commonName("example.org CA").certificateAuthority(0).build();
    static final HeldCertificate SERVER = HeldCertificate.builder().uri("wimse://example.org/svc/server").dnsName("localhost")
            .usages(WicUsage.SERVER).signedBy(CA).build();

    Server jetty;
    int port;

    static X509TrustSource trust() throws Exception {
        return X509TrustSource.of(X509TrustBundle.of(TD, List.of(CA.certificate())));
    }

    /** Echoes the principal, the auth type and whether tokens were verified. */
    static final class Echo extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain;charset=utf-8");
            resp.getWriter().print(req.getUserPrincipal().getName() + "|" + req.getAuthType() + "|"
                    + (req.getAttribute(WimseFilter.CALLER_ATTRIBUTE) instanceof VerifiedCaller ? "tokens" : "no-tokens") + "|"
                    + (req.getAttribute(WimseFilter.CERTIFICATE_ATTRIBUTE) instanceof VerifiedWic w ? w.identifier() : "-"));
        }
    }

    void start(WimseFilter filter) throws Exception {
        jetty = new Server();
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        WicKeyManager keys = WicKeyManager.of(SERVER.keyPair().getPrivate(), SERVER.chain(), CLOCK);
        ssl.setSslContext(WimseTls.context(keys, WicTrustManager.builder().trust(trust()).clock(CLOCK).build()));
        ssl.setWantClientAuth(true); // the filter refuses a request without one: its own problem, tested below
        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(jetty, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new Echo()), "/*");
        jetty.setHandler(context);
        jetty.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
    }

    static WicValidator clients() throws Exception {
        return WicValidator.builder().trust(trust()).clock(CLOCK).forClients().build();
    }

    HttpResponse<String> get(HeldCertificate client, Map<String, String> headers) throws Exception {
        WicKeyManager keys = client == null ? new WicKeyManager(CLOCK) : WicKeyManager.of(client.keyPair().getPrivate(), client.chain(), CLOCK);
        HttpClient http = HttpClient.newBuilder().sslContext(WimseTls.context(keys, WicTrustManager.builder().trust(trust()).clock(CLOCK).build()))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/orders")).timeout(Duration.ofSeconds(10)).GET();
        headers.forEach(r::header);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static HeldCertificate client(String id) {
        return HeldCertificate.builder().uri(id).usages(WicUsage.CLIENT).signedBy(CA).build();
    }

    @Test
    void WIC_4_theCallerIsTheClientCertificatesIdentifierAndHeadersNeverOverrideIt() throws Exception {
        start(WimseFilter.builder().mutualTls(clients()).externalBaseUri(BASE).build());
        Fixture other = new Fixture(); // a WIT of wimse://example.org/svc/caller's neighbour, sent in headers
        HttpResponse<String> r = get(client(CALLER), Map.of("Workload-Identity-Token", other.wit, "X-Forwarded-User", "admin"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(CALLER + "|CLIENT_CERT|no-tokens|" + CALLER);
    }

    @Test
    void MT_2_aRequestWithoutAClientCertificateGetsAProblem() throws Exception {
        start(WimseFilter.builder().mutualTls(clients()).externalBaseUri(BASE).build());
        HttpResponse<String> r = get(null, Map.of());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"code\":\"" + Reason.INVALID_CERTIFICATE.code() + "\"");
    }

    @Test
    void WIC_4_theAuthorizerDecidesOnTheCertificatesIdentifier() throws Exception {
        start(WimseFilter.builder().mutualTls(clients()).externalBaseUri(BASE)
                .authorization(CallerAuthorizer.id(WorkloadIdentifier.parse("wimse://example.org/svc/other"))).build());
        HttpResponse<String> r = get(client(CALLER), Map.of());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("\"code\":\"forbidden\"");
    }

    @Test
    void MT_6_withTokensTheWitMustNameTheCertificatesWorkload() throws Exception {
        Fixture f = new Fixture();
        start(WimseFilter.builder().mutualTls(clients()).mutualTlsWithTokens(true)
                .verifier(f.verifier().clock(Clock.fixed(Fixture.NOW, java.time.ZoneOffset.UTC)).build()).externalBaseUri(BASE).build());
        RequestSigner signer = RequestSigner.builder().credentials(CredentialSource.fixed(f.credentials())).proofCreator(f.creator())
                .audience(u -> "https://localhost/orders").build();
        Map<String, String> tokens = signer.sign("GET", URI.create("https://localhost/orders"), Map.of()).asMap();
        HttpResponse<String> same = get(client(f.workload.value()), tokens);
        assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
        assertThat(same.body()).isEqualTo(f.workload.value() + "|CLIENT_CERT|tokens|" + f.workload.value());
        Map<String, String> more = signer.sign("GET", URI.create("https://localhost/orders"), Map.of()).asMap();
        HttpResponse<String> other = get(client(CALLER), more);
        assertThat(other.statusCode()).isEqualTo(400);
        assertThat(other.body()).contains("\"code\":\"" + Reason.PEER_NOT_AUTHORIZED.code() + "\"");
    }
}
