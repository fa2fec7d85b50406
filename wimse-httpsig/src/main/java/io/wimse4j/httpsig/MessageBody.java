package io.wimse4j.httpsig;

import io.wimse4j.core.error.WimseException;

import java.io.IOException;

/**
 * A message body that {@link HttpSignatureVerifier#verifyRequestReading(io.wimse4j.core.request.HttpRequestFacts, MessageBody)}
 * reads only once the signature over the headers has verified (HS-5, HS-7): an unauthenticated sender
 * cannot make a service read, or hold memory for, a body. The signature base never contains the body,
 * only its {@code Content-Digest}, so nothing is lost by reading it last.
 */
@FunctionalInterface
public interface MessageBody {
    /**
     * The whole body, empty for none; called at most once.
     *
     * @throws WimseException e.g. {@link io.wimse4j.core.error.Reason#BODY_TOO_LARGE} past a limit
     * @throws IOException    when reading fails
     */
    byte[] read() throws IOException, WimseException;
}
