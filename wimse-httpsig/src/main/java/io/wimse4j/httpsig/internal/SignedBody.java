package io.wimse4j.httpsig.internal;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.httpsig.MessageBody;

import java.io.IOException;

/**
 * The body of a message being verified: already read ({@code known}), or to be read once the signature
 * verified ({@code later}, HS-5, HS-7). Not part of the API.
 *
 * @param known the bytes in hand, or null
 * @param later the body to read, when {@code known} is null
 */
public record SignedBody(byte[] known, MessageBody later) {
    /** No content to check: a HEAD answer, a 204, a 304. */
    public static final SignedBody NONE = new SignedBody(new byte[0], null);

    /** The bytes, read now when they are not in hand; an {@link IOException} comes out as {@link ReadFailure}. */
    public byte[] read() throws WimseException {
        if (known != null) {
            return known;
        }
        try {
            byte[] b = later.read();
            return b == null ? new byte[0] : b;
        } catch (IOException e) {
            throw new ReadFailure(e);
        }
    }

    /** Carries an {@link IOException} of {@link MessageBody#read()} out through the paths that throw {@code WimseException}. */
    public static final class ReadFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReadFailure(IOException cause) {
            super(cause);
        }

        /** The failure of the read. */
        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }

        /** The same as {@link #getCause()}. */
        public IOException cause() {
            return getCause();
        }
    }
}
