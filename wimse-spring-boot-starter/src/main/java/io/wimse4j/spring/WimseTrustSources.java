package io.wimse4j.spring;

import io.wimse4j.client.HttpJwksTrustBundleSource;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.TrustBundleSource;

import java.util.List;
import java.util.Optional;

/**
 * The trust source of {@code wimse.trust-domains}: bundles read from files, and one refreshing
 * {@link HttpJwksTrustBundleSource} per distinct TLS setting; each domain is in exactly one of them.
 * Closing it stops the background fetches.
 */
final class WimseTrustSources implements TrustBundleSource, AutoCloseable {
    private final TrustBundleSet files;
    private final List<HttpJwksTrustBundleSource> http;

    WimseTrustSources(List<TrustBundle> files, List<HttpJwksTrustBundleSource> http) {
        this.files = files.isEmpty() ? null : TrustBundleSet.of(files); // only URLs: no file set
        this.http = List.copyOf(http);
    }

    List<HttpJwksTrustBundleSource> httpSources() {
        return http;
    }

    @Override
    public Optional<TrustBundle> bundleFor(TrustDomain domain) {
        Optional<TrustBundle> file = files == null ? Optional.empty() : files.bundleFor(domain);
        if (file.isPresent()) {
            return file;
        }
        for (HttpJwksTrustBundleSource s : http) {
            if (s.trustDomains().contains(domain)) {
                return s.bundleFor(domain);
            }
        }
        return Optional.empty();
    }

    @Override
    public void keyNotFound(TrustDomain domain, Optional<String> kid) {
        for (HttpJwksTrustBundleSource s : http) {
            if (s.trustDomains().contains(domain)) {
                s.keyNotFound(domain, kid);
            }
        }
    }

    @Override
    public void close() {
        http.forEach(HttpJwksTrustBundleSource::close);
    }

    @Override
    public String toString() {
        return "WimseTrustSources[files=" + (files == null ? "[]" : files.trustDomains()) + ", http=" + http.size() + "]";
    }
}
