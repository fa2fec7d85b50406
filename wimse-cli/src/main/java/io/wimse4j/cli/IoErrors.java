package io.wimse4j.cli;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.List;

/**
 * One line for an I/O failure that keeps every cause: {@code e.getMessage()} alone is often only a path
 * ({@code NoSuchFileException}) or {@code null} ({@code ConnectException} of the HTTP client), so the
 * user never learns what went wrong. Each exception of the chain becomes words ("no such file: p",
 * "permission denied: p", "connection refused") or its class name and message, joined with ": ".
 * Messages of these exceptions hold paths, hosts and reasons, never tokens or keys.
 */
final class IoErrors {
    private static final int MAX_CAUSES = 5;

    private IoErrors() {
    }

    /** {@code e} and its causes, in words. */
    static String describe(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < MAX_CAUSES; t = t.getCause() == t ? null : t.getCause()) {
            String part = words(t);
            if (parts.isEmpty() || !parts.get(parts.size() - 1).contains(part)) {
                parts.add(part);
            }
        }
        return String.join(": ", parts);
    }

    private static String words(Throwable t) {
        if (t instanceof FileSystemException f) {
            String what = f instanceof NoSuchFileException ? "no such file or directory"
                    : f instanceof AccessDeniedException ? "permission denied"
                    : f instanceof FileAlreadyExistsException ? "already exists"
                    : f instanceof NotDirectoryException ? "not a directory"
                    : f instanceof DirectoryNotEmptyException ? "directory not empty"
                    : f.getReason() != null ? f.getReason() : "file system error";
            String file = f.getFile() == null ? "" : ": " + f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile());
            return what + file;
        }
        if (t instanceof ConnectException && t.getMessage() == null) {
            return "connection refused";
        }
        if (t instanceof UnknownHostException) {
            return "unknown host" + (t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        if (t instanceof javax.net.ssl.SSLHandshakeException) {
            return "TLS handshake failed" + (t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        if (t instanceof HttpConnectTimeoutException) {
            return "connect timed out";
        }
        if (t instanceof HttpTimeoutException) {
            return "timed out";
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }
}
