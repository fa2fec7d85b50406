package io.wimse4j.spring;

import io.wimse4j.client.HttpJwksTrustBundleSource;
import io.wimse4j.client.IdentityServerCredentialSource;
import io.wimse4j.core.observe.WimseObserver;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.httpsig.HttpSignatureVerifier;
import io.wimse4j.x509.WicValidator;

/**
 * The one place where the application's {@link WimseObserver} bean reaches the builders the starter
 * calls: every builder passes through one method here before {@code build()}. The library builders
 * on this branch take no observer yet; each method is where {@code builder.observer(observer)} goes
 * when they do (wimse-micrometer's {@code WimseMetrics} is then such a bean).
 */
final class WimseObserverWiring {
    private WimseObserverWiring() {
    }

    static RequestVerifier.Builder requestVerifier(RequestVerifier.Builder builder, WimseObserver observer) {
        return builder;
    }

    static HttpSignatureVerifier.Builder httpSignatureVerifier(HttpSignatureVerifier.Builder builder, WimseObserver observer) {
        return builder;
    }

    static HttpJwksTrustBundleSource.Builder jwksTrust(HttpJwksTrustBundleSource.Builder builder, WimseObserver observer) {
        return builder;
    }

    static IdentityServerCredentialSource.Builder credentials(IdentityServerCredentialSource.Builder builder, WimseObserver observer) {
        return builder;
    }

    static WicValidator.Builder wicValidator(WicValidator.Builder builder, WimseObserver observer) {
        return builder;
    }
}
