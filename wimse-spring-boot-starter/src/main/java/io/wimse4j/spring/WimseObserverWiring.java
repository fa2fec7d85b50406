package io.wimse4j.spring;

import io.wimse4j.client.HttpJwksTrustBundleSource;
import io.wimse4j.client.IdentityServerCredentialSource;
import io.wimse4j.core.observe.WimseObserver;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.httpsig.HttpSignatureVerifier;
import io.wimse4j.x509.WicValidator;

/**
 * The one place where the application's {@link WimseObserver} bean reaches the builders the starter
 * calls: every builder passes through one method here before {@code build()} (wimse-micrometer's
 * {@code WimseMetrics} is that bean when Micrometer is on the class path). Under the container's own
 * TLS the {@link WicValidator} the filter uses reports each mutual-TLS caller it validates.
 */
final class WimseObserverWiring {
    private WimseObserverWiring() {
    }

    static RequestVerifier.Builder requestVerifier(RequestVerifier.Builder builder, WimseObserver observer) {
        return builder.observer(observer);
    }

    static HttpSignatureVerifier.Builder httpSignatureVerifier(HttpSignatureVerifier.Builder builder, WimseObserver observer) {
        return builder.observer(observer);
    }

    static HttpJwksTrustBundleSource.Builder jwksTrust(HttpJwksTrustBundleSource.Builder builder, WimseObserver observer) {
        return builder.observer(observer);
    }

    static IdentityServerCredentialSource.Builder credentials(IdentityServerCredentialSource.Builder builder, WimseObserver observer) {
        return builder.observer(observer);
    }

    static WicValidator.Builder wicValidator(WicValidator.Builder builder, WimseObserver observer) {
        return builder.observer(observer);
    }
}
