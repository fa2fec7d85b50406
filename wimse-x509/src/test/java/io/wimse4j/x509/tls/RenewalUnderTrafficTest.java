package io.wimse4j.x509.tls;

import io.wimse4j.core.authz.CallerAuthorizer;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.x509.HeldCertificate;
import io.wimse4j.x509.VerifiedWic;
import io.wimse4j.x509.WicUsage;
import io.wimse4j.x509.X509TrustBundle;
import io.wimse4j.x509.X509TrustSource;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leaf renewal under continuous traffic (MT-7, KEY-4): four client threads handshake with a server for
 * 20 s while both the server's and the clients' certificates are renewed (a new key each time) every
 * second; no request may fail, and the renewed certificates must be the ones in use.
 */
class RenewalUnderTrafficTest {
    static final Clock CLOCK = Clock.systemUTC();
    static final TrustDomain TD = new TrustDomain("example.org");
    static final String SERVER_ID = "wimse://example.org/svc/server";
    static final String CLIENT_ID = "wimse://example.org/svc/client";

    static HeldCertificate ca(String name) {
        return HeldCertificate.builder().commonName(name).certificateAuthority(0).build();
    }

    static HeldCertificate server(HeldCertificate ca) {
        return HeldCertificate.builder().uri(SERVER_ID).dnsName("localhost").usages(WicUsage.SERVER).signedBy(ca).build();
    }

    static HeldCertificate client(HeldCertificate ca) {
        return HeldCertificate.builder().uri(CLIENT_ID).usages(WicUsage.CLIENT).signedBy(ca).build();
    }

    /** A listener keeping the client leaves accepted. */
    static WicTrustManager.Listener seeing(Set<X509Certificate> leaves) {
        return new WicTrustManager.Listener() {
            @Override
            public void accepted(String role, VerifiedWic peer) {
                leaves.add(peer.leaf());
            }

            @Override
            public void refused(String role, Reason reason, String detail) {
            }
        };
    }

    static WicKeyManager keys(HeldCertificate leaf) throws io.wimse4j.core.error.WimseException {
        return WicKeyManager.of(leaf.keyPair().getPrivate(), leaf.chain(), CLOCK);
    }

    static SSLContext clientContext(WicKeyManager keys, X509TrustSource trust) throws io.wimse4j.core.error.WimseException {
        return WimseTls.context(keys, WicTrustManager.builder().trust(trust).clock(CLOCK)
                .expectServer(CallerAuthorizer.id(WorkloadIdentifier.parse(SERVER_ID))).build());
    }

    @Test
    void MT_7_leavesRenewedEverySecondUnderFourClientThreadsFailNoRequest() throws Exception {
        HeldCertificate ca = ca("example.org CA");
        X509TrustSource trust = X509TrustSource.of(X509TrustBundle.of(TD, List.of(ca.certificate())));
        WicKeyManager serverKeys = keys(server(ca));
        Set<X509Certificate> clientLeavesSeen = ConcurrentHashMap.newKeySet();
        WicTrustManager serverTrust = WicTrustManager.builder().trust(trust).clock(CLOCK).listener(seeing(clientLeavesSeen)).build();
        WicKeyManager clientKeys = keys(client(ca));
        try (TlsTraffic traffic = TlsTraffic.serve(WimseTls.context(serverKeys, serverTrust))) {
            TlsTraffic.Result r = traffic.drive(clientContext(clientKeys, trust), 4, Duration.ofSeconds(20), second -> {
                HeldCertificate s = server(ca);
                serverKeys.update(s.keyPair().getPrivate(), s.chain());
                HeldCertificate c = client(ca);
                clientKeys.update(c.keyPair().getPrivate(), c.chain());
            });
            assertThat(r.failures()).as("failed requests").isEmpty();
            assertThat(r.ok()).as("requests in 20 s").isGreaterThan(100);
            assertThat(r.steps()).as("renewals of each side").isGreaterThanOrEqualTo(14);
            // resumed TLS sessions keep the certificate of their first handshake, so not every renewal is seen
            assertThat(clientLeavesSeen).as("the renewed client certificates were the ones presented")
                    .hasSizeGreaterThan(r.steps() / 2);
            System.out.println("renewal under traffic: " + r.ok() + " requests, " + r.failed() + " failed, "
                    + r.steps() + " renewals of each side, " + clientLeavesSeen.size() + " distinct client certificates seen");
        }
    }
}
