package io.wimse4j.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.httpsig.VerifiedSignedRequest;
import io.wimse4j.servlet.WimseFilter;
import io.wimse4j.x509.VerifiedWic;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@code GET} and {@code POST /echo}: answers 200 {@code application/json}
 * {@code {"workload": ..., "trust_domain": ..., "method": ..., "path": ...}} with the caller that
 * {@link WimseFilter} verified, from its tokens, its HTTP Message Signature or, in mutual-TLS mode, its client certificate (JSON {@code null} for both when the service runs without the filter,
 * which only the load benchmark does). Never echoes a header, token or body.
 */
final class EchoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Bodies are read and dropped, up to this many bytes. */
    private static final int MAX_BODY = 64 * 1024;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        echo(req, resp);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try (InputStream in = req.getInputStream()) {
            if (in.readNBytes(MAX_BODY + 1).length > MAX_BODY) {
                resp.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
                return;
            }
        }
        echo(req, resp);
    }

    private static void echo(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ObjectNode n = MAPPER.createObjectNode();
        if (req.getAttribute(WimseFilter.CALLER_ATTRIBUTE) instanceof VerifiedCaller caller) {
            n.put("workload", caller.workload().value());
            n.put("trust_domain", caller.trustDomain().name());
        } else if (req.getAttribute(WimseFilter.SIGNED_REQUEST_ATTRIBUTE) instanceof VerifiedSignedRequest signed) {
            n.put("workload", signed.workload().value());
            n.put("trust_domain", signed.workload().trustDomain().name());
        } else if (req.getAttribute(WimseFilter.CERTIFICATE_ATTRIBUTE) instanceof VerifiedWic wic) {
            n.put("workload", wic.identifier().value());
            n.put("trust_domain", wic.trustDomain().name());
        } else {
            n.putNull("workload");
            n.putNull("trust_domain");
        }
        n.put("method", req.getMethod());
        n.put("path", req.getRequestURI());
        byte[] body = MAPPER.writeValueAsBytes(n);
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType("application/json");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
