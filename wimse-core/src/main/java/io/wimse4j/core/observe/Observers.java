package io.wimse4j.core.observe;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.id.TrustDomain;

import java.time.Instant;
import java.util.List;

/** The observers {@link WimseObserver} hands out: none, guarded, all. */
final class Observers {
    static final WimseObserver NONE = new WimseObserver() {
        @Override
        public String toString() {
            return "WimseObserver.none()";
        }
    };

    private Observers() {
    }

    /** Drops what its delegate throws: an observer must never change an answer. */
    record Guarded(WimseObserver delegate) implements WimseObserver {
        @Override
        public void accepted(CredentialKind kind, long elapsedNanos) {
            try {
                delegate.accepted(kind, elapsedNanos);
            } catch (RuntimeException ignored) {
                // an observer's failure is not the request's
            }
        }

        @Override
        public void refused(CredentialKind kind, Reason reason, long elapsedNanos) {
            try {
                delegate.refused(kind, reason, elapsedNanos);
            } catch (RuntimeException ignored) {
                // an observer's failure is not the request's
            }
        }

        @Override
        public void trustBundleRefreshed(TrustDomain domain, Instant at) {
            try {
                delegate.trustBundleRefreshed(domain, at);
            } catch (RuntimeException ignored) {
                // an observer's failure is not the refresh's
            }
        }

        @Override
        public void trustBundleRefreshFailed(TrustDomain domain, Exception cause) {
            try {
                delegate.trustBundleRefreshFailed(domain, cause);
            } catch (RuntimeException ignored) {
                // an observer's failure is not the refresh's
            }
        }

        @Override
        public void credentialRenewed(HeldCredential credential, Instant expiresAt) {
            try {
                delegate.credentialRenewed(credential, expiresAt);
            } catch (RuntimeException ignored) {
                // an observer's failure is not the renewal's
            }
        }

        @Override
        public void credentialRenewalFailed(HeldCredential credential, Exception cause) {
            try {
                delegate.credentialRenewalFailed(credential, cause);
            } catch (RuntimeException ignored) {
                // an observer's failure is not the renewal's
            }
        }
    }

    /** Tells each of several guarded observers in turn. */
    record All(List<WimseObserver> observers) implements WimseObserver {
        @Override
        public void accepted(CredentialKind kind, long elapsedNanos) {
            observers.forEach(o -> o.accepted(kind, elapsedNanos));
        }

        @Override
        public void refused(CredentialKind kind, Reason reason, long elapsedNanos) {
            observers.forEach(o -> o.refused(kind, reason, elapsedNanos));
        }

        @Override
        public void trustBundleRefreshed(TrustDomain domain, Instant at) {
            observers.forEach(o -> o.trustBundleRefreshed(domain, at));
        }

        @Override
        public void trustBundleRefreshFailed(TrustDomain domain, Exception cause) {
            observers.forEach(o -> o.trustBundleRefreshFailed(domain, cause));
        }

        @Override
        public void credentialRenewed(HeldCredential credential, Instant expiresAt) {
            observers.forEach(o -> o.credentialRenewed(credential, expiresAt));
        }

        @Override
        public void credentialRenewalFailed(HeldCredential credential, Exception cause) {
            observers.forEach(o -> o.credentialRenewalFailed(credential, cause));
        }
    }
}
