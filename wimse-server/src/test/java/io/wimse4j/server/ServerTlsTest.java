package io.wimse4j.server;

import io.wimse4j.server.internal.StateDir;
import io.wimse4j.server.internal.ServerTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The server's own CA and its server certificate (bcpkix), bootstrapped once and kept. */
class ServerTlsTest {
    @TempDir
    Path tmp;

    static List<String> sans(X509Certificate cert) throws Exception {
        List<String> out = new ArrayList<>();
        for (List<?> san : cert.getSubjectAlternativeNames()) {
            out.add(san.get(1).toString());
        }
        return out;
    }

    @Test
    void serverCertificateHasLocalhostLoopbackAndConfiguredNamesAndIsSignedByTheCa() throws Exception {
        ServerTls tls = ServerTls.bootstrap(StateDir.open(tmp), List.of("id.example.org"), Clock.systemUTC());
        X509Certificate server = tls.serverCertificate();
        assertThat(sans(server)).contains("localhost", "127.0.0.1", "id.example.org");
        server.verify(tls.caCertificate().getPublicKey());
        assertThat(tls.caCertificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    }

    @Test
    void restartKeepsTheCaAndReissuesTheServerCertificateOnlyForNewNames() throws Exception {
        StateDir dir = StateDir.open(tmp);
        ServerTls first = ServerTls.bootstrap(dir, List.of(), Clock.systemUTC());
        ServerTls again = ServerTls.bootstrap(dir, List.of(), Clock.systemUTC());
        assertThat(again.caPem()).isEqualTo(first.caPem());
        assertThat(again.serverCertificate()).isEqualTo(first.serverCertificate());

        ServerTls renamed = ServerTls.bootstrap(dir, List.of("new.example.org"), Clock.systemUTC());
        assertThat(renamed.caPem()).isEqualTo(first.caPem());
        assertThat(renamed.serverCertificate()).isNotEqualTo(first.serverCertificate());
        assertThat(sans(renamed.serverCertificate())).contains("new.example.org");
        renamed.serverCertificate().verify(first.caCertificate().getPublicKey());
    }
}
