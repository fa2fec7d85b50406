package io.wimse4j.x509.tls;

import io.wimse4j.core.authz.CallerAuthorizer;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.testkit.RecordingObserver;
import io.wimse4j.x509.TestCertsAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.cert.X509Certificate;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.wimse4j.x509.tls.MutualTlsHandshakeTest.CLIENT_ID;
import static io.wimse4j.x509.tls.MutualTlsHandshakeTest.CLOCK;
import static io.wimse4j.x509.tls.MutualTlsHandshakeTest.PKI;
import static io.wimse4j.x509.tls.MutualTlsHandshakeTest.SERVER_ID;
import static io.wimse4j.x509.tls.MutualTlsHandshakeTest.trust;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a {@link WicTrustManager} tells its observer (issue 13): every client certificate checked, accepted or
 * refused with the {@link Reason} of its {@link WicCertificateException}, as kind {@code mutual-tls}.
 */
class WicTrustManagerObserverTest {
    final RecordingObserver observer = new RecordingObserver();

    WicTrustManager trustManager() throws Exception {
        return WicTrustManager.builder().trust(trust()).clock(CLOCK).observer(observer)
                .authorizeClients(CallerAuthorizer.id(WorkloadIdentifier.parse(CLIENT_ID))).listener((role, reason, detail) -> { })
                .build();
    }

    /** A client certificate and the line the observer must write for it. */
    record Row(String name, Function<TestCertsAccess.Pki, TestCertsAccess.Leaf> client, String event) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("MT-1 the authorized client's WIC → accepted mutual-tls", p -> p.client(CLIENT_ID), "accepted mutual-tls"),
                new Row("MT-1 a client WIC signed by another trust domain's CA → refused mutual-tls UNKNOWN_KEY",
                        p -> p.clientSignedByOther(CLIENT_ID), "refused mutual-tls unknown-key"),
                new Row("MT-7 an expired client WIC → refused mutual-tls EXPIRED", p -> p.expiredClient(CLIENT_ID),
                        "refused mutual-tls expired"),
                new Row("MT-3 a client WIC without clientAuth → refused mutual-tls INVALID_CERTIFICATE",
                        p -> p.server(CLIENT_ID, "client.example.org"), "refused mutual-tls invalid-certificate"),
                new Row("WIC-4 a client the authorizer does not allow → refused mutual-tls PEER_NOT_AUTHORIZED",
                        p -> p.client("wimse://example.org/svc/intruder"), "refused mutual-tls peer-not-authorized"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void MT_1_everyClientCertificateCheckedIsReportedWithItsResultAndReason(Row row) throws Exception {
        X509Certificate[] chain = row.client().apply(PKI).chain().toArray(X509Certificate[]::new);
        WicTrustManager tm = trustManager();
        if (row.event().startsWith("accepted")) {
            tm.checkClientTrusted(chain, "EC");
        } else {
            String reason = row.event().substring(row.event().lastIndexOf(' ') + 1);
            assertThatThrownBy(() -> tm.checkClientTrusted(chain, "EC")).isInstanceOfSatisfying(WicCertificateException.class,
                    e -> assertThat(e.reason().code()).isEqualTo(reason));
        }
        assertThat(observer.events()).containsExactly(row.event());
        assertThat(observer.elapsedNanos()).singleElement().satisfies(n -> assertThat(n).isPositive());
    }

    @Test
    void MT_4_serversCheckedAsAClientAreNotReported() throws Exception {
        X509Certificate[] server = PKI.server(SERVER_ID, "localhost").chain().toArray(X509Certificate[]::new);
        WicTrustManager tm = trustManager();
        assertThatThrownBy(() -> tm.checkServerTrusted(server, "EC")).as("no DNS-ID check and no expected server")
                .isInstanceOfSatisfying(WicCertificateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.PEER_NOT_AUTHORIZED));
        assertThat(observer.events()).isEmpty();
    }

    /** The rows without the authorizer's: a {@link io.wimse4j.x509.WicValidator} only validates. */
    static Stream<Row> validatorRows() {
        return rows().filter(r -> !r.event().endsWith("peer-not-authorized"));
    }

    @ParameterizedTest(name = "validator: {0}")
    @MethodSource("validatorRows")
    void MT_1_aWicValidatorWithAnObserverReportsEachValidation(Row row) throws Exception {
        io.wimse4j.x509.WicValidator validator = io.wimse4j.x509.WicValidator.builder().trust(trust()).clock(CLOCK).forClients()
                .observer(observer).build();
        java.util.List<X509Certificate> chain = row.client().apply(PKI).chain();
        if (row.event().startsWith("accepted")) {
            assertThat(validator.validate(chain).identifier()).isEqualTo(WorkloadIdentifier.parse(CLIENT_ID));
        } else {
            String reason = row.event().substring(row.event().lastIndexOf(' ') + 1);
            assertThatThrownBy(() -> validator.validate(chain)).isInstanceOfSatisfying(io.wimse4j.core.error.WimseException.class,
                    e -> assertThat(e.reason().code()).isEqualTo(reason));
        }
        assertThat(observer.events()).containsExactly(row.event());
    }

    @Test
    void MT_1_theTrustManagersOwnValidatorsReportNothingTwice() throws Exception {
        trustManager().checkClientTrusted(PKI.client(CLIENT_ID).chain().toArray(X509Certificate[]::new), "EC");
        assertThat(observer.events()).containsExactly("accepted mutual-tls");
    }
}
