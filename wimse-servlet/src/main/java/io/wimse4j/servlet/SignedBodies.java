package io.wimse4j.servlet;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The body of a signed request, read whole before verification so that its {@code Content-Digest} can
 * be recomputed (HS-5) and nothing of it reaches the application before the request is verified (HS-7),
 * and the request the application then reads it from.
 */
final class SignedBodies {
    private SignedBodies() {
    }

    /**
     * The whole body of {@code request}, at most {@code limit} bytes.
     *
     * @throws WimseException {@link Reason#BODY_TOO_LARGE} (413) past the limit, declared or read
     */
    static byte[] read(HttpServletRequest request, int limit) throws WimseException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(limit);
        }
        // grown as bytes arrive, never sized from the declared length alone
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 256), 8192));
        try (InputStream in = request.getInputStream()) {
            byte[] chunk = new byte[8192];
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (out.size() + n > limit) {
                    throw tooLarge(limit);
                }
                out.write(chunk, 0, n);
            }
        }
        return out.toByteArray();
    }

    private static WimseException tooLarge(int limit) {
        return new WimseException(Reason.BODY_TOO_LARGE, "a signed request's body is read whole to check its Content-Digest"
                + " (HS-5), and this service reads at most " + limit + " bytes");
    }

    /**
     * The request with its body served from the bytes already read and verified. While its response is being
     * signed, async processing is refused: {@code startAsync()} would hand the handler the real, unbuffered
     * response, which could then send a successful unsigned answer (HS-6).
     */
    static final class BufferedRequest extends HttpServletRequestWrapper {
        private final byte[] body;
        private final boolean asyncAllowed;
        private boolean streamTaken;
        private boolean readerTaken;

        BufferedRequest(HttpServletRequest request, byte[] body, boolean asyncAllowed) {
            super(request);
            this.body = body;
            this.asyncAllowed = asyncAllowed;
        }

        @Override
        public boolean isAsyncSupported() {
            return asyncAllowed && super.isAsyncSupported();
        }

        @Override
        public AsyncContext startAsync() {
            refuseAsync();
            return super.startAsync();
        }

        @Override
        public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
            refuseAsync();
            return super.startAsync(request, response);
        }

        private void refuseAsync() {
            if (!asyncAllowed) {
                throw new IllegalStateException("a signed response is buffered and signed when the handler returns:"
                        + " asynchronous processing is not supported for it (HS-6)");
            }
        }

        @Override
        public ServletInputStream getInputStream() {
            if (readerTaken) {
                throw new IllegalStateException("getReader() was already called");
            }
            streamTaken = true;
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    try {
                        listener.onDataAvailable();
                        listener.onAllDataRead();
                    } catch (IOException e) {
                        listener.onError(e);
                    }
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            if (streamTaken) {
                throw new IllegalStateException("getInputStream() was already called");
            }
            readerTaken = true;
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
