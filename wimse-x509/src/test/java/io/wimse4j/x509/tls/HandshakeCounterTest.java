package io.wimse4j.x509.tls;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link HandshakeCounter}: refusals by role and reason, handshake failures before the trust manager. */
class HandshakeCounterTest {
    @Test
    void MT_1_refusalsAreCountedByRoleAndReasonAndToldToTheDelegate() {
        List<String> told = new ArrayList<>();
        HandshakeCounter c = new HandshakeCounter((role, reason, detail) -> told.add(role + " " + reason));
        c.refused("client", Reason.UNKNOWN_KEY, "d");
        c.refused("client", Reason.UNKNOWN_KEY, "d");
        c.refused("server", Reason.PEER_NOT_AUTHORIZED, "d");
        assertThat(c.count("refused client UNKNOWN_KEY")).isEqualTo(2);
        assertThat(c.count("refused server PEER_NOT_AUTHORIZED")).isEqualTo(1);
        assertThat(c.count("refused client EXPIRED")).isZero();
        assertThat(told).containsExactly("client UNKNOWN_KEY", "client UNKNOWN_KEY", "server PEER_NOT_AUTHORIZED");
    }

    @Test
    void MT_2_aHandshakeFailedForWantOfACertificateIsCountedAsSuch() {
        HandshakeCounter c = new HandshakeCounter();
        c.handshakeFailed(new SSLHandshakeException("Empty client certificate chain"));
        c.handshakeFailed(new SSLHandshakeException("Received fatal alert: protocol_version"));
        assertThat(c.counts()).isEqualTo(Map.of(HandshakeCounter.NO_CERTIFICATE, 1L, HandshakeCounter.OTHER_FAILURE, 1L));
    }

    @Test
    void MT_1_aFailureCausedByTheTrustManagersRefusalIsNotCountedTwice() {
        HandshakeCounter c = new HandshakeCounter((role, reason, detail) -> { });
        WicCertificateException refusal = new WicCertificateException(new WimseException(Reason.EXPIRED, "expired"));
        c.refused("client", Reason.EXPIRED, "expired");
        SSLHandshakeException failure = new SSLHandshakeException("certificate_unknown");
        failure.initCause(refusal);
        c.handshakeFailed(failure);
        assertThat(c.counts()).isEqualTo(Map.of("refused client EXPIRED", 1L));
    }
}
