package io.wimse4j.spring.security;

import io.wimse4j.core.wpt.WimseHeaders;
import jakarta.servlet.http.HttpServletRequest;

import java.util.Enumeration;
import java.util.Locale;

/** Which requests present WIMSE credentials, and so go through {@code WimseFilter}. */
final class WimseRequests {
    /** Where a Servlet container puts the client's certificate chain (Servlet specification, 3.10). */
    static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private final boolean mutualTls;

    WimseRequests(boolean mutualTls) {
        this.mutualTls = mutualTls;
    }

    /**
     * True for a request with a {@code Workload-Identity-Token}, {@code Workload-Proof-Token},
     * {@code Authorization: WPT} or {@code Signature-Input} header, and in mutual-TLS mode for one with a
     * client certificate: such a request is verified (and refused when it does not verify) whatever its path.
     */
    boolean presentsCredentials(HttpServletRequest request) {
        if (mutualTls && request.getAttribute(CERTIFICATE_ATTRIBUTE) != null) {
            return true;
        }
        if (request.getHeader(WimseHeaders.WORKLOAD_IDENTITY_TOKEN) != null
                || request.getHeader(WimseHeaders.WORKLOAD_PROOF_TOKEN) != null
                || request.getHeader("Signature-Input") != null) {
            return true;
        }
        Enumeration<String> authorization = request.getHeaders(WimseHeaders.AUTHORIZATION);
        while (authorization != null && authorization.hasMoreElements()) {
            String value = authorization.nextElement();
            if (value.length() >= 4 && value.substring(0, 4).toUpperCase(Locale.ROOT).equals("WPT ")) {
                return true;
            }
        }
        return false;
    }
}
