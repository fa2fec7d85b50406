package io.wimse4j.core.id;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link IdentifierResolver} from a fixed table (ID-4): each entry maps a host (exact,
 * case-insensitive) and an optional path prefix (matched on whole segments) to an identifier. The
 * most specific entry (longest path prefix) wins. Immutable; build it with {@link #builder()}.
 */
public final class StaticIdentifierResolver implements IdentifierResolver {
    private record Entry(String host, String pathPrefix, WorkloadIdentifier id) {
        boolean matches(String h, String path) {
            if (!host.equals(h)) {
                return false;
            }
            if (pathPrefix.isEmpty() || path.equals(pathPrefix)) {
                return true;
            }
            return path.startsWith(pathPrefix) && (pathPrefix.endsWith("/") || path.charAt(pathPrefix.length()) == '/');
        }
    }

    private final List<Entry> entries;

    private StaticIdentifierResolver(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<WorkloadIdentifier> resolve(URI handle) {
        if (handle == null || handle.getHost() == null) {
            return Optional.empty();
        }
        String host = handle.getHost().toLowerCase(Locale.ROOT);
        String path = handle.getRawPath() == null ? "" : handle.getRawPath();
        for (Entry e : entries) {
            if (e.matches(host, path)) {
                return Optional.of(e.id());
            }
        }
        return Optional.empty();
    }

    /** Builder for {@link StaticIdentifierResolver}. */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();

        private Builder() {
        }

        /** Maps every path on {@code host} to {@code id}. */
        public Builder map(String host, WorkloadIdentifier id) {
            return map(host, "", id);
        }

        /** Maps paths under {@code pathPrefix} (whole segments) on {@code host} to {@code id}. */
        public Builder map(String host, String pathPrefix, WorkloadIdentifier id) {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(pathPrefix, "pathPrefix");
            Objects.requireNonNull(id, "id");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            if (!pathPrefix.isEmpty() && !pathPrefix.startsWith("/")) {
                throw new IllegalArgumentException("path prefix must start with '/': " + pathPrefix);
            }
            String h = host.toLowerCase(Locale.ROOT);
            for (Entry e : entries) {
                if (e.host().equals(h) && e.pathPrefix().equals(pathPrefix)) {
                    throw new IllegalArgumentException("duplicate mapping for " + host + pathPrefix);
                }
            }
            entries.add(new Entry(h, pathPrefix, id));
            return this;
        }

        /** Builds the resolver; fails when no mapping was added. */
        public StaticIdentifierResolver build() {
            if (entries.isEmpty()) {
                throw new IllegalStateException("at least one mapping is required");
            }
            List<Entry> sorted = new ArrayList<>(entries);
            sorted.sort(Comparator.comparingInt((Entry e) -> e.pathPrefix().length()).reversed());
            return new StaticIdentifierResolver(sorted);
        }
    }
}
