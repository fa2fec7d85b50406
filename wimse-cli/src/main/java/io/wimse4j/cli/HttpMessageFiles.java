package io.wimse4j.cli;

import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.httpsig.HttpMessageText;
import io.wimse4j.httpsig.HttpResponseFacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Raw HTTP/1.1 messages of {@code wimse httpsig}: read from a file or standard input
 * ({@link HttpMessageText}, LF or CRLF), their facts with the target URI from {@code --base-uri} or
 * {@code https://} and {@code Host}, and the signed message written out byte for byte.
 */
final class HttpMessageFiles {
    private HttpMessageFiles() {
    }

    /** The message in {@code file} ({@code -}: standard input). */
    static HttpMessageText read(String file, InputStream stdin, String what) {
        byte[] bytes = Inputs.readBytes(file, stdin, what);
        try {
            return HttpMessageText.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(what + " is not an HTTP/1.1 message: " + e.getMessage());
        }
    }

    /** The {@code --base-uri} value: an absolute http or https URI whose scheme and authority are used; null stays null. */
    static URI baseUri(String value) {
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getRawAuthority() == null) {
                throw CliException.usage("--base-uri must be an absolute http(s) URI such as https://svc.example.org, got '" + value + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw CliException.usage("--base-uri is not a URI: " + e.getReason());
        }
    }

    /** The facts of a request message; {@code base} as in {@link HttpMessageText#requestFacts(URI)}. */
    static HttpRequestFacts requestFacts(HttpMessageText message, URI base, String what) {
        if (!message.isRequest()) {
            throw CliException.usage(what + " is a response, not a request");
        }
        try {
            return message.requestFacts(base);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(what + ": " + e.getMessage());
        }
    }

    /** The facts of a response message. */
    static HttpResponseFacts responseFacts(HttpMessageText message, String what) {
        if (message.isRequest()) {
            throw CliException.usage(what + " is a request, not a response");
        }
        try {
            return message.responseFacts();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(what + ": " + e.getMessage());
        }
    }

    /**
     * Writes {@code message} to {@code outFile} exactly, or prints it on standard output when
     * {@code outFile} is null, which only text does faithfully: a message that is not UTF-8 needs a file.
     */
    static void write(byte[] message, String outFile, PrintWriter out) {
        if (outFile == null) {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(message)).toString();
            } catch (CharacterCodingException e) {
                throw CliException.usage("the signed message is not UTF-8 text, which standard output would not keep exactly: use --out <file>");
            }
            out.print(text);
            out.flush();
            return;
        }
        try {
            Files.write(Path.of(outFile), message, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw CliException.usage("cannot write '" + outFile + "': " + IoErrors.describe(e));
        }
    }
}
