package io.wimse4j.servlet;

import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.httpsig.HttpResponseFacts;
import io.wimse4j.httpsig.HttpSignatureSigner;
import io.wimse4j.httpsig.ResponseSignature;
import io.wimse4j.httpsig.VerifiedSignedRequest;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The response to a verified signed request, held back until the application is done so that it can
 * be signed (HS-6): status, headers and up to a limit of body bytes are buffered; nothing is committed.
 * {@link #finish()} then signs it (the body gets a {@code Content-Digest}, HS-5) and sends it. A body past
 * the limit is sent unsigned when no signature was required, streamed from that point on; when one was
 * required ({@code wimse-sign-response} or the filter's policy) the response is replaced by the 501
 * problem {@link Reason#SIGNED_RESPONSE_UNAVAILABLE}: never a successful unsigned response.
 */
final class SigningResponse extends HttpServletResponseWrapper {
    private final HttpServletResponse real;
    private final HttpSignatureSigner signer;
    private final VerifiedSignedRequest request;
    private final boolean required;
    private final int limit;
    private final ProblemWriter problems;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
    /** Past the limit with no signature required: the rest streams through unsigned. */
    private boolean passingThrough;
    /** Past the limit with a signature required: the body is dropped and a 501 problem sent. */
    private boolean tooLarge;
    private ServletOutputStream stream;
    private PrintWriter writer;
    /** The charset the writer encodes with, fixed when it is taken, as a container fixes it. */
    private String writerCharset;
    /** What the application declared with {@code setContentLength}: kept for a HEAD answer, whose body is empty. */
    private long declaredLength = -1;

    SigningResponse(HttpServletResponse real, HttpSignatureSigner signer, VerifiedSignedRequest request, boolean required, int limit,
                    ProblemWriter problems) {
        super(real);
        this.problems = problems;
        this.real = real;
        this.signer = signer;
        this.request = request;
        this.required = required;
        this.limit = limit;
    }

    @Override
    public ServletOutputStream getOutputStream() {
        if (writer != null) {
            throw new IllegalStateException("getWriter() was already called");
        }
        if (stream == null) {
            stream = new ServletOutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    append(b, off, len);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    try {
                        listener.onWritePossible();
                    } catch (IOException e) {
                        listener.onError(e);
                    }
                }
            };
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() {
        if (writer == null) {
            if (stream != null) {
                throw new IllegalStateException("getOutputStream() was already called");
            }
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
            writer = new PrintWriter(new OutputStreamWriter(getOutputStream(), charset));
            writerCharset = charset.name();
            super.setCharacterEncoding(writerCharset); // what the signed Content-Type says is what the writer encodes
            stream = null; // getOutputStream() stays refused: the writer owns the stream
        }
        return writer;
    }

    private void append(byte[] b, int off, int len) throws IOException {
        if (passingThrough) {
            real.getOutputStream().write(b, off, len);
            return;
        }
        if (tooLarge) {
            return;
        }
        if (buffer.size() + len > limit) {
            if (required) {
                tooLarge = true;
                buffer.reset();
                return;
            }
            passingThrough = true; // not required: this response goes out unsigned (HS-6 allows it)
            real.getOutputStream().write(buffer.toByteArray());
            buffer.reset();
            real.getOutputStream().write(b, off, len);
            return;
        }
        buffer.write(b, off, len);
    }

    @Override
    public void flushBuffer() throws IOException {
        if (passingThrough) {
            real.flushBuffer();
        }
    }

    @Override
    public void resetBuffer() {
        if (!passingThrough) {
            buffer.reset();
            tooLarge = false;
        }
        super.resetBuffer();
    }

    @Override
    public void reset() {
        if (!passingThrough) {
            buffer.reset();
            tooLarge = false;
        }
        super.reset();
    }

    @Override
    public boolean isCommitted() {
        return passingThrough && real.isCommitted();
    }

    @Override
    public void setContentLength(int len) {
        declaredLength = len; // the signed body's length is set when it is sent
    }

    @Override
    public void setContentLengthLong(long len) {
        declaredLength = len;
    }

    @Override
    public void setCharacterEncoding(String charset) {
        if (writer == null) { // after getWriter() the charset no longer changes (Servlet 6 section 5.5)
            super.setCharacterEncoding(charset);
        }
    }

    @Override
    public void setContentType(String type) {
        super.setContentType(type);
        if (writer != null && type != null) {
            super.setCharacterEncoding(writerCharset);
        }
    }

    @Override
    public void setBufferSize(int size) {
        // the body is buffered here, up to the filter's limit
    }

    @Override
    public void sendError(int sc) {
        sendError(sc, null);
    }

    @Override
    public void sendError(int sc, String msg) {
        resetBuffer();
        setStatus(sc); // a container error page could not be signed: the status alone, signed
    }

    @Override
    public void sendRedirect(String location) {
        sendRedirect(location, HttpServletResponse.SC_FOUND, true);
    }

    // The overloads Servlet 6.1 adds (no @Override: compiled against 6.0): on a 6.1 container the wrapper would
    // otherwise send them straight to the real response, unsigned.

    /** Servlet 6.1's {@code sendRedirect(String, int)}, kept in the buffer to be signed. */
    public void sendRedirect(String location, int sc) {
        sendRedirect(location, sc, true);
    }

    /** Servlet 6.1's {@code sendRedirect(String, boolean)}, kept in the buffer to be signed. */
    public void sendRedirect(String location, boolean clearBuffer) {
        sendRedirect(location, HttpServletResponse.SC_FOUND, clearBuffer);
    }

    /** Servlet 6.1's {@code sendRedirect(String, int, boolean)}, kept in the buffer to be signed. */
    public void sendRedirect(String location, int sc, boolean clearBuffer) {
        if (clearBuffer) {
            resetBuffer();
        }
        setStatus(sc);
        setHeader("Location", location);
    }

    /** Signs and sends what the application produced (see the class comment). */
    void finish() throws IOException {
        if (writer != null) {
            writer.flush();
        }
        if (passingThrough) {
            real.flushBuffer();
            return;
        }
        if (tooLarge) {
            unavailable("the response body exceeds the " + limit + " bytes this service buffers to sign");
            return;
        }
        byte[] body = buffer.toByteArray();
        HttpResponseFacts.Builder facts = HttpResponseFacts.builder(real.getStatus());
        for (String name : real.getHeaderNames()) {
            if (!name.equalsIgnoreCase("content-type") && !name.equalsIgnoreCase("content-length")) {
                for (String value : real.getHeaders(name)) {
                    facts.header(name, value);
                }
            }
        }
        if (real.getContentType() != null) {
            facts.header("Content-Type", real.getContentType());
        }
        ResponseSignature signature;
        try {
            signature = signer.signResponse(facts.build(), body, request);
        } catch (WimseException | RuntimeException e) {
            // no credentials, or the application set its own signature fields or a wrong Content-Digest
            String why = e instanceof WimseException w ? w.reason().code() : "the application's response cannot be signed as it is";
            if (required) {
                unavailable("the response cannot be signed: " + why);
                return;
            }
            send(body);
            return;
        }
        signature.headers().forEach(real::setHeader);
        send(body);
    }

    private void send(byte[] body) throws IOException {
        int status = real.getStatus();
        if (status == HttpServletResponse.SC_NO_CONTENT || status == HttpServletResponse.SC_NOT_MODIFIED) {
            real.flushBuffer(); // no content, no Content-Length
            return;
        }
        if (body.length == 0 && declaredLength >= 0 && "HEAD".equals(request.request().method())) {
            real.setContentLengthLong(declaredLength); // the length of what a GET would return
            real.flushBuffer();
            return;
        }
        real.setContentLength(body.length);
        if (body.length > 0) {
            real.getOutputStream().write(body);
        }
        real.flushBuffer();
    }

    private void unavailable(String detail) throws IOException {
        real.reset();
        ProblemResponses.write(problems, ProblemDetails.of(Reason.SIGNED_RESPONSE_UNAVAILABLE, detail + " (HS-6)"), real);
    }

    @Override
    public String toString() {
        return "SigningResponse[required=" + required + ", buffered=" + buffer.size() + "]"
                + (passingThrough ? " unsigned" : "").toLowerCase(Locale.ROOT);
    }
}
