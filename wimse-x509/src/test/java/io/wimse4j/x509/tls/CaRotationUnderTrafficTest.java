package io.wimse4j.x509.tls;

import io.wimse4j.core.error.Reason;
import io.wimse4j.x509.HeldCertificate;
import io.wimse4j.x509.VerifiedWic;
import io.wimse4j.x509.X509TrustBundle;
import io.wimse4j.x509.X509TrustSource;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static io.wimse4j.x509.tls.RenewalUnderTrafficTest.CLOCK;
import static io.wimse4j.x509.tls.RenewalUnderTrafficTest.TD;
import static io.wimse4j.x509.tls.RenewalUnderTrafficTest.ca;
import static io.wimse4j.x509.tls.RenewalUnderTrafficTest.client;
import static io.wimse4j.x509.tls.RenewalUnderTrafficTest.clientContext;
import static io.wimse4j.x509.tls.RenewalUnderTrafficTest.keys;
import static io.wimse4j.x509.tls.RenewalUnderTrafficTest.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * CA rotation with overlap under continuous traffic (MT-1, MT-7), in the order the Identity Server
 * rotates its workload CA: the new CA is published to every peer's anchors before it signs, leaves are
 * renewed by it, and the old CA leaves the anchors only once no leaf it signed is in use. Four client
 * threads run for 20 s, both sides renew every second; no request may fail, both CAs' leaves must have
 * been presented, and after the rotation a leaf of the old CA is refused.
 */
class CaRotationUnderTrafficTest {
    static final int PUBLISH_NEW = 4;
    static final int SIGN_WITH_NEW = 7;
    static final int DROP_OLD = 12;

    @Test
    void MT_1_caRotatedWithOverlapUnderFourClientThreadsFailsNoRequest() throws Exception {
        HeldCertificate oldCa = ca("example.org CA 1");
        HeldCertificate newCa = ca("example.org CA 2");
        AtomicReference<X509TrustBundle> anchors = new AtomicReference<>(X509TrustBundle.of(TD, List.of(oldCa.certificate())));
        X509TrustSource trust = td -> td.equals(TD) ? Optional.of(anchors.get()) : Optional.empty();
        AtomicReference<HeldCertificate> signing = new AtomicReference<>(oldCa);

        WicKeyManager serverKeys = keys(server(oldCa));
        Set<X509Certificate> clientLeavesSeen = ConcurrentHashMap.newKeySet();
        List<Reason> refusals = new CopyOnWriteArrayList<>();
        WicTrustManager serverTrust = WicTrustManager.builder().trust(trust).clock(CLOCK).listener(new WicTrustManager.Listener() {
            @Override
            public void accepted(String role, VerifiedWic peer) {
                clientLeavesSeen.add(peer.leaf());
            }

            @Override
            public void refused(String role, Reason reason, String detail) {
                refusals.add(reason);
            }
        }).build();
        WicKeyManager clientKeys = keys(client(oldCa));
        try (TlsTraffic traffic = TlsTraffic.serve(WimseTls.context(serverKeys, serverTrust))) {
            TlsTraffic.Result r = traffic.drive(clientContext(clientKeys, trust), 4, Duration.ofSeconds(20), second -> {
                if (second == PUBLISH_NEW) {
                    anchors.set(X509TrustBundle.of(TD, List.of(oldCa.certificate(), newCa.certificate())));
                } else if (second == SIGN_WITH_NEW) {
                    signing.set(newCa);
                } else if (second == DROP_OLD) {
                    anchors.set(X509TrustBundle.of(TD, List.of(newCa.certificate())));
                }
                HeldCertificate s = server(signing.get());
                serverKeys.update(s.keyPair().getPrivate(), s.chain());
                HeldCertificate c = client(signing.get());
                clientKeys.update(c.keyPair().getPrivate(), c.chain());
            });
            assertThat(r.failures()).as("failed requests").isEmpty();
            assertThat(refusals).as("peers refused during the rotation").isEmpty();
            assertThat(r.steps()).as("renewals of each side").isGreaterThan(DROP_OLD + 2);
            assertThat(r.ok()).as("requests in 20 s").isGreaterThan(100);
            long byOld = clientLeavesSeen.stream().filter(l -> issuedBy(l, oldCa)).count();
            long byNew = clientLeavesSeen.stream().filter(l -> issuedBy(l, newCa)).count();
            assertThat(byOld).as("client leaves of the old CA presented").isPositive();
            assertThat(byNew).as("client leaves of the new CA presented").isPositive();

            // after the rotation the old CA is no anchor: a fresh client with a leaf it signed is refused
            SSLHandshakeExceptionCheck.refused(() -> traffic.request(clientContext(keys(client(oldCa)), trust)));
            assertThat(refusals).as("the old CA's leaf, refused by the server").containsExactly(Reason.UNKNOWN_KEY);
            System.out.println("CA rotation under traffic: " + r.ok() + " requests, " + r.failed() + " failed, "
                    + r.steps() + " renewals of each side, client leaves seen " + byOld + " of the old CA and "
                    + byNew + " of the new");
        }
    }

    private static boolean issuedBy(X509Certificate leaf, HeldCertificate ca) {
        return leaf.getIssuerX500Principal().equals(ca.certificate().getSubjectX500Principal());
    }

    /** The request fails in or right after the handshake (TLS 1.3 reports a client refusal on the first read). */
    private static final class SSLHandshakeExceptionCheck {
        interface Call {
            String run() throws Exception;
        }

        static void refused(Call call) {
            assertThatThrownBy(call::run).isInstanceOfAny(SSLHandshakeException.class, javax.net.ssl.SSLException.class,
                    java.net.SocketException.class);
        }
    }
}
