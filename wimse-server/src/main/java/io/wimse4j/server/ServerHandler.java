package io.wimse4j.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.server.http.Problem;
import io.wimse4j.server.internal.KeyRing;
import io.wimse4j.x509.IssuedWic;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;

/**
 * Routes the Identity Server's HTTP requests (Jetty 12 core handler): the public endpoints (the
 * JWKS, the same keys and the workload CA as a SPIFFE bundle at {@value #SPIFFE_BUNDLE_PATH}, ALG-2,
 * the workload CA as PEM at {@value #X509_BUNDLE_PATH}), the issuance API ({@code POST /v1/wit},
 * {@code POST /v1/wic}, sharing one load-shedding limit) and the admin API. Enforces the body limit before reading (413), the content type
 * of JSON bodies (415) and maps every {@link Problem} to an RFC 9457 response. The target URI given
 * to the request verifier is built from the configured base URI, never from {@code Host}.
 */
final class ServerHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ServerHandler.class);

    private final IssuanceService issuance;
    private final WicIssuanceService wics;
    private final java.util.function.Supplier<String> x509BundlePem;
    private final AdminApi admin;
    private final KeyRing keys;
    private final String caPem;
    private final PrometheusMeterRegistry metrics;
    private final long jwksMaxAgeSeconds;
    private final URI issuanceUri;
    private final URI wicUri;
    /** Load shedding: issuances handled at once; one more gets 503 {@code server-busy} at once. */
    private final java.util.concurrent.Semaphore issuancePermits;
    private final Readiness readiness;
    /** True when the admin API has its own listener: then only there, and nothing else there. */
    private final boolean adminSeparate;

    /** The name of the admin API's own connector ({@code admin-listen}). */
    static final String ADMIN_CONNECTOR = "admin";

    ServerHandler(IssuanceService issuance, WicIssuanceService wics, java.util.function.Supplier<String> x509BundlePem, AdminApi admin, KeyRing keys,
                  String caPem, PrometheusMeterRegistry metrics, long jwksMaxAgeSeconds, int maxConcurrentIssuances,
                  Readiness readiness, boolean adminSeparate) {
        this.readiness = readiness;
        this.adminSeparate = adminSeparate;
        this.wics = wics;
        this.x509BundlePem = x509BundlePem;
        this.issuancePermits = new java.util.concurrent.Semaphore(maxConcurrentIssuances);
        this.issuance = issuance;
        this.admin = admin;
        this.keys = keys;
        this.caPem = caPem;
        this.metrics = metrics;
        this.jwksMaxAgeSeconds = jwksMaxAgeSeconds;
        this.issuanceUri = URI.create(issuance.audience());
        this.wicUri = URI.create(wicAudience(issuance.audience()));
    }

    /** The target URI of {@code POST /v1/wic} (a renewal's WPT {@code aud}), from that of {@code POST /v1/wit}. */
    static String wicAudience(String witAudience) {
        return witAudience.substring(0, witAudience.length() - "/v1/wit".length()) + WIC_PATH;
    }

    private static final String BODY_READ = "io.wimse4j.server.bodyRead";
    /** Where the signing keys are published as a SPIFFE bundle (ALG-2, docs/spiffe.md). */
    static final String SPIFFE_BUNDLE_PATH = "/v1/trust-bundle/spiffe";
    /** Where the workload CA certificates are published as PEM. */
    static final String X509_BUNDLE_PATH = "/v1/x509-bundle.pem";
    /** WIC issuance. */
    static final String WIC_PATH = "/v1/wic";

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Reply reply;
        try {
            reply = route(request);
        } catch (Problem p) {
            reply = Reply.problem(p);
        } catch (RuntimeException | IOException e) {
            LOG.error("request failed: {}", e.toString());
            reply = Reply.problem(Problem.of(Problem.Code.INTERNAL_ERROR, failure(e)));
        }
        if (request.getAttribute(BODY_READ) == null && hasBody(request)) {
            // refused before its body was read (401, 413, 415...): the connection cannot be reused
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        send(response, reply, callback);
        return true;
    }

    /** The failures of the state directory a client may be told about: the OS's words, never a path. */
    private static final java.util.List<String> STORAGE_FAILURES =
            java.util.List.of("No space left on device", "Disk quota exceeded", "Read-only file system");

    /**
     * The detail of a 500: when the state directory cannot be written (full, over quota, read-only), it
     * says so, so that an operator reading a client's error knows what to fix (issue 15's full-disk
     * fault); anything else stays "the server failed to handle the request".
     */
    static String failure(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String text = c instanceof java.nio.file.FileSystemException fs ? fs.getReason() : c.getMessage();
            if (c instanceof IOException && text != null) {
                for (String known : STORAGE_FAILURES) {
                    if (text.contains(known)) {
                        return "the server could not save its state: " + known;
                    }
                }
            }
        }
        return "the server failed to handle the request";
    }

    private static boolean hasBody(Request request) {
        return request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > 0
                || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    private Reply route(Request request) throws Problem, IOException {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (adminSeparate) {
            boolean onAdmin = ADMIN_CONNECTOR.equals(request.getConnectionMetaData().getConnector().getName());
            if (onAdmin != path.startsWith("/admin/")) {
                // the admin API only on its own listener, and only the admin API there
                throw Problem.of(Problem.Code.NOT_FOUND, "no such resource");
            }
        }
        switch (path) {
            case "/.well-known/jwks.json" -> {
                requireGet(method);
                return Reply.text(200, "application/jwk-set+json", keys.jwksJson(),
                        Map.of("Cache-Control", "public, max-age=" + jwksMaxAgeSeconds));
            }
            case SPIFFE_BUNDLE_PATH -> {
                requireGet(method);
                // ALG-2: the same keys as a SPIFFE bundle, use wit-svid; the refresh hint is the JWKS max-age
                return Reply.text(200, "application/json", keys.spiffeBundleJson(jwksMaxAgeSeconds),
                        Map.of("Cache-Control", "public, max-age=" + jwksMaxAgeSeconds));
            }
            case X509_BUNDLE_PATH -> {
                requireGet(method);
                // the trust anchors of WICs (MT-1): every published workload CA, cached like the JWKS
                return Reply.text(200, "application/pem-certificate-chain", x509BundlePem.get(),
                        Map.of("Cache-Control", "public, max-age=" + jwksMaxAgeSeconds));
            }
            case WIC_PATH -> {
                return wic(request, method);
            }
            case "/ca.pem" -> {
                requireGet(method);
                if (caPem == null) {
                    // an operator-provided TLS certificate: its CA is the operator's, not this server's to publish
                    throw Problem.of(Problem.Code.NOT_FOUND, "this server's TLS certificate is operator-provided; it has no built-in CA");
                }
                return Reply.text(200, "application/x-pem-file", caPem, Map.of());
            }
            case "/healthz" -> {
                requireGet(method);
                return Reply.json(200, StrictJson.mapper().createObjectNode().put("status", "ok"));
            }
            case "/readyz" -> {
                requireGet(method);
                return readiness.probe();
            }
            case "/metrics" -> {
                requireGet(method);
                return Reply.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape(), Map.of());
            }
            case "/v1/wit" -> {
                if (!"POST".equals(method)) {
                    throw Problem.of(Problem.Code.HTTP_METHOD_NOT_ALLOWED, "use POST");
                }
                requireJson(request);
                if (!issuancePermits.tryAcquire()) {
                    issuance.countBusy();
                    throw Problem.of(Problem.Code.SERVER_BUSY, "too many issuance requests at once; retry shortly");
                }
                IssuanceService.Issued issued;
                try {
                    byte[] body = readBody(request);
                    issued = issuance.issue(body, facts(request), tlsClientChain(request));
                } finally {
                    issuancePermits.release();
                }
                var o = StrictJson.mapper().createObjectNode();
                o.put("wit", issued.wit());
                o.put("subject", issued.subject().value());
                o.put("jti", issued.jti());
                o.put("expires_at", issued.expiresAt().toString());
                return new Reply(200, Reply.JSON, StrictJson.mapper().writeValueAsBytes(o), Map.of("Cache-Control", "no-store"));
            }
            default -> {
                if (path.startsWith("/admin/")) {
                    admin.authorize(request.getHeaders().get(HttpHeader.AUTHORIZATION));
                    byte[] body = new byte[0];
                    if ("POST".equals(method) && !path.endsWith("/rotate")) {
                        requireJson(request);
                        body = readBody(request);
                    }
                    String id;
                    try {
                        id = Request.extractQueryParameters(request).getValue("id");
                    } catch (RuntimeException e) {
                        throw Problem.of(Problem.Code.MALFORMED_REQUEST, "the query string is not valid UTF-8 percent-encoding");
                    }
                    Reply r = admin.handle(method, path, id, body);
                    // admin answers carry join tokens and the registry: never kept by a cache
                    Map<String, String> headers = new java.util.HashMap<>(r.headers());
                    headers.put("Cache-Control", "no-store");
                    return new Reply(r.status(), r.contentType(), r.body(), Map.copyOf(headers));
                }
                throw Problem.of(Problem.Code.NOT_FOUND, "no such resource");
            }
        }
    }

    private Reply wic(Request request, String method) throws Problem, IOException {
        if (!"POST".equals(method)) {
            throw Problem.of(Problem.Code.HTTP_METHOD_NOT_ALLOWED, "use POST");
        }
        requireJson(request);
        if (!issuancePermits.tryAcquire()) {
            wics.countBusy();
            throw Problem.of(Problem.Code.SERVER_BUSY, "too many issuance requests at once; retry shortly");
        }
        IssuedWic issued;
        try {
            byte[] body = readBody(request);
            issued = wics.issue(body, facts(request, wicUri), tlsClientChain(request));
        } finally {
            issuancePermits.release();
        }
        var o = StrictJson.mapper().createObjectNode();
        o.put("certificate_chain", issued.chainPem());
        o.put("subject", issued.identifier().value());
        o.put("serial", issued.certificate().getSerialNumber().toString(16));
        o.put("not_before", issued.notBefore().getEpochSecond());
        o.put("expires_at", issued.notAfter().getEpochSecond());
        return new Reply(200, Reply.JSON, StrictJson.mapper().writeValueAsBytes(o), Map.of("Cache-Control", "no-store"));
    }

    /** The client certificate chain of the request's TLS connection, leaf first; empty when none (or plain HTTP). */
    private static java.util.List<java.security.cert.X509Certificate> tlsClientChain(Request request) {
        if (request.getAttribute(org.eclipse.jetty.io.EndPoint.SslSessionData.ATTRIBUTE)
                instanceof org.eclipse.jetty.io.EndPoint.SslSessionData tls && tls.peerCertificates() != null) {
            return java.util.List.of(tls.peerCertificates());
        }
        return java.util.List.of();
    }

    private HttpRequestFacts facts(Request request) {
        return facts(request, issuanceUri);
    }

    private static HttpRequestFacts facts(Request request, URI target) {
        HttpRequestFacts.Builder b = HttpRequestFacts.builder(request.getMethod(), target);
        for (HttpField f : request.getHeaders()) {
            b.header(f.getName(), f.getValue());
        }
        return b.build();
    }

    private static void requireGet(String method) throws Problem {
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            throw Problem.of(Problem.Code.HTTP_METHOD_NOT_ALLOWED, "use GET");
        }
    }

    private static void requireJson(Request request) throws Problem {
        String ct = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        String mediaType = ct == null ? "" : ct.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw Problem.of(Problem.Code.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
        }
    }

    /** Reads the body, refusing more than {@link ServerConfig#MAX_BODY_BYTES} before parsing anything. */
    private static byte[] readBody(Request request) throws Problem, IOException {
        long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (declared > ServerConfig.MAX_BODY_BYTES) {
            throw tooLarge();
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(ServerConfig.MAX_BODY_BYTES + 1);
            if (body.length > ServerConfig.MAX_BODY_BYTES) {
                throw tooLarge();
            }
            request.setAttribute(BODY_READ, Boolean.TRUE);
            return body;
        }
    }

    private static Problem tooLarge() {
        return Problem.of(Problem.Code.REQUEST_TOO_LARGE, "the body exceeds " + ServerConfig.MAX_BODY_BYTES + " bytes");
    }

    private static void send(Response response, Reply reply, Callback callback) {
        response.setStatus(reply.status());
        reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        if (reply.contentType() != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        }
        if (reply.body().length == 0) {
            callback.succeeded();
        } else {
            response.write(true, ByteBuffer.wrap(reply.body()), callback);
        }
    }
}
