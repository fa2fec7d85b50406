package io.wimse4j.server;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.jose.JwsAlgorithm;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Builds a {@link ServerConfig} from three layers, later ones winning: a Java properties file,
 * environment variables {@code WIMSE_SERVER_<KEY>} (key upper-cased, {@code -} as {@code _}), and
 * flags. Keys: {@code trust-domain}, {@code base-uri}, {@code bind}, {@code port}, {@code state-dir},
 * {@code key-alg}, {@code default-wit-ttl}, {@code max-wit-ttl}, {@code jwks-max-age},
 * {@code publish-ahead}, {@code rotate-every}, {@code dns-names} (comma-separated),
 * {@code insecure-http}, {@code leeway}, {@code kubernetes-issuer}, {@code kubernetes-audience},
 * {@code kubernetes-jwks-file} or {@code kubernetes-jwks-url} (exactly one; with the URL optionally
 * {@code kubernetes-ca-file} and {@code kubernetes-jwks-refresh}), {@code admin-listen} ({@code HOST:PORT},
 * loopback only), {@code audit-max-bytes}, {@code audit-keep}, {@code registrations-file}, {@code max-concurrent-issuances}, {@code wic-ttl}, {@code tls-cert} and
 * {@code tls-key} (an operator-provided certificate chain and key, PEM files, both or neither). Durations: {@code 90s}, {@code 10m}, {@code 1h}, {@code 2d}, ISO-8601
 * ({@code PT1H}) or plain seconds. Unknown keys are refused (a typo must not silently fall back to
 * a default).
 */
public final class ConfigLoader {
    /** Every accepted key. */
    public static final Set<String> KEYS = Set.of("trust-domain", "base-uri", "bind", "port", "state-dir", "key-alg",
            "default-wit-ttl", "max-wit-ttl", "jwks-max-age", "publish-ahead", "rotate-every", "dns-names",
            "insecure-http", "leeway", "kubernetes-issuer", "kubernetes-audience", "kubernetes-jwks-file",
            "max-concurrent-issuances", "wic-ttl", "tls-cert", "tls-key", "kubernetes-jwks-url", "kubernetes-ca-file",
            "kubernetes-jwks-refresh", "admin-listen", "audit-max-bytes", "audit-keep", "registrations-file");
    /** Prefix of the environment variables. */
    public static final String ENV_PREFIX = "WIMSE_SERVER_";

    private ConfigLoader() {
    }

    /**
     * Merges {@code configFile} (may be null), {@code env} and {@code flags} (keys as above; absent
     * or null values are not set) and builds the configuration.
     *
     * @throws IllegalArgumentException on an unknown key, a bad value or a missing trust domain
     */
    public static ServerConfig load(Path configFile, Map<String, String> env, Map<String, String> flags) throws IOException {
        Map<String, String> merged = new HashMap<>();
        if (configFile != null) {
            Properties props = new Properties();
            try (Reader r = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                props.load(r);
            }
            for (String name : props.stringPropertyNames()) {
                merged.put(known(name, "config file " + configFile), props.getProperty(name).trim());
            }
        }
        env.forEach((k, v) -> {
            if (k.startsWith(ENV_PREFIX) && v != null) {
                String key = k.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
                merged.put(known(key, "environment variable " + k), v.trim());
            }
        });
        flags.forEach((k, v) -> {
            if (v != null) {
                merged.put(known(k, "flag --" + k), v.trim());
            }
        });
        return build(merged);
    }

    private static String known(String key, String where) {
        if (!KEYS.contains(key)) {
            throw new IllegalArgumentException("unknown setting '" + key + "' in " + where);
        }
        return key;
    }

    private static ServerConfig build(Map<String, String> m) {
        String td = m.get("trust-domain");
        if (td == null || td.isEmpty()) {
            throw new IllegalArgumentException("trust-domain is required");
        }
        ServerConfig.Builder b;
        try {
            b = ServerConfig.builder(TrustDomain.parse(td));
        } catch (WimseException e) {
            throw new IllegalArgumentException("trust-domain: " + e.detail());
        }
        if (m.containsKey("base-uri")) {
            b.baseUri(URI.create(m.get("base-uri")));
        }
        if (m.containsKey("bind")) {
            b.bind(m.get("bind"));
        }
        if (m.containsKey("port")) {
            b.port(parseInt(m.get("port"), "port"));
        }
        if (m.containsKey("state-dir")) {
            b.stateDir(Path.of(m.get("state-dir")));
        }
        if (m.containsKey("key-alg")) {
            b.keyAlgorithm(JwsAlgorithm.fromJwaName(m.get("key-alg"))
                    .orElseThrow(() -> new IllegalArgumentException("key-alg must be ES256, ES384, EdDSA or Ed25519")));
        }
        durationIfSet(m, "default-wit-ttl", b::defaultWitTtl);
        durationIfSet(m, "max-wit-ttl", b::maxWitTtl);
        durationIfSet(m, "jwks-max-age", b::jwksMaxAge);
        durationIfSet(m, "publish-ahead", b::publishAhead);
        durationIfSet(m, "rotate-every", b::rotateEvery);
        durationIfSet(m, "leeway", b::leeway);
        durationIfSet(m, "wic-ttl", b::wicTtl);
        if (m.containsKey("max-concurrent-issuances")) {
            b.maxConcurrentIssuances(parseInt(m.get("max-concurrent-issuances"), "max-concurrent-issuances"));
        }
        if (m.containsKey("dns-names")) {
            List<String> names = Arrays.stream(m.get("dns-names").split(",")).map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
            b.dnsNames(names);
        }
        if (m.containsKey("insecure-http")) {
            b.insecureHttp(parseBoolean(m.get("insecure-http"), "insecure-http"));
        }
        kubernetes(m, b);
        if (m.containsKey("admin-listen")) {
            b.adminListen(ServerConfig.parseAdminListen(m.get("admin-listen")));
        }
        if (m.containsKey("audit-max-bytes")) {
            b.auditMaxBytes(parseLong(m.get("audit-max-bytes"), "audit-max-bytes"));
        }
        if (m.containsKey("audit-keep")) {
            b.auditKeep(parseInt(m.get("audit-keep"), "audit-keep"));
        }
        if (m.containsKey("registrations-file") && !m.get("registrations-file").isEmpty()) {
            b.registrationsFile(Path.of(m.get("registrations-file")));
        }
        String tlsCert = m.get("tls-cert");
        String tlsKey = m.get("tls-key");
        if (tlsCert != null || tlsKey != null) {
            if (tlsCert == null || tlsKey == null || tlsCert.isEmpty() || tlsKey.isEmpty()) {
                throw new IllegalArgumentException("tls-cert and tls-key go together");
            }
            b.tlsCertificate(Path.of(tlsCert), Path.of(tlsKey));
        }
        return b.build();
    }

    private static void kubernetes(Map<String, String> m, ServerConfig.Builder b) {
        String issuer = m.get("kubernetes-issuer");
        String audience = m.get("kubernetes-audience");
        String jwks = m.get("kubernetes-jwks-file");
        String url = m.get("kubernetes-jwks-url");
        String ca = m.get("kubernetes-ca-file");
        String refresh = m.get("kubernetes-jwks-refresh");
        if (issuer == null && audience == null && jwks == null && url == null && ca == null && refresh == null) {
            return;
        }
        if (issuer == null || audience == null || (jwks == null) == (url == null)) {
            throw new IllegalArgumentException("kubernetes-issuer, kubernetes-audience and exactly one of"
                    + " kubernetes-jwks-file and kubernetes-jwks-url go together");
        }
        if (jwks != null) {
            if (ca != null || refresh != null) {
                throw new IllegalArgumentException("kubernetes-ca-file and kubernetes-jwks-refresh go with kubernetes-jwks-url");
            }
            b.kubernetes(new ServerConfig.KubernetesSettings(issuer, audience, Path.of(jwks)));
            return;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("kubernetes-jwks-url: not a URL: " + e.getMessage());
        }
        b.kubernetes(ServerConfig.KubernetesSettings.fromUrl(issuer, audience, uri, ca == null ? null : Path.of(ca),
                refresh == null ? null : parseDuration(refresh, "kubernetes-jwks-refresh")));
    }

    private static long parseLong(String v, String what) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": not a number: " + v);
        }
    }

    private static void durationIfSet(Map<String, String> m, String key, java.util.function.Consumer<Duration> set) {
        if (m.containsKey(key)) {
            set.accept(parseDuration(m.get(key), key));
        }
    }

    /** Parses {@code 90s}, {@code 10m}, {@code 1h}, {@code 2d}, ISO-8601 or plain seconds. */
    public static Duration parseDuration(String value, String what) {
        String v = value.trim();
        try {
            if (v.startsWith("P") || v.startsWith("p")) {
                return Duration.parse(v);
            }
            char unit = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
            if (Character.isDigit(unit)) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (unit) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException(what + ": unknown duration unit '" + unit + "'");
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(what + ": not a duration: " + value);
        }
    }

    private static int parseInt(String v, String what) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": not a number: " + v);
        }
    }

    private static boolean parseBoolean(String v, String what) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(what + ": not a boolean: " + v);
        };
    }
}
