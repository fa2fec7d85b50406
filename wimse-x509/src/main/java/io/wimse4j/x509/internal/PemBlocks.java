package io.wimse4j.x509.internal;

import io.wimse4j.x509.PemException;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict RFC 7468 reader: the text is nothing but {@code -----BEGIN L-----} / base64 / {@code -----END L-----}
 * blocks separated by line breaks and blank lines; no explanatory text, no headers, no trailing garbage;
 * the base64 is the standard alphabet with its padding, at most 76 characters a line.
 */
public final class PemBlocks {
    /** The largest PEM text read: 1 MiB. */
    public static final int MAX_CHARS = 1 << 20;

    private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]{1,40})-----");
    private static final Pattern BASE64_LINE = Pattern.compile("[A-Za-z0-9+/=]{1,76}");

    /** One block: its label and the decoded bytes. */
    public record Block(String label, byte[] der) {
    }

    private PemBlocks() {
    }

    /** The blocks of {@code text}, in order; at least one. */
    public static List<Block> parse(String text) throws PemException {
        if (text.length() > MAX_CHARS) {
            throw new PemException("PEM text of " + text.length() + " characters exceeds the limit of " + MAX_CHARS);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0x7e || (c < 0x20 && c != '\n' && c != '\r')) {
                throw new PemException("PEM text holds a character that is not printable ASCII at offset " + i);
            }
        }
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        List<Block> blocks = new ArrayList<>();
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            if (line.isBlank()) {
                i++;
                continue;
            }
            Matcher begin = BEGIN.matcher(line.strip());
            if (!begin.matches()) {
                throw new PemException("line " + (i + 1) + " is outside any PEM block (no text or trailing data is allowed)");
            }
            String label = begin.group(1);
            String end = "-----END " + label + "-----";
            StringBuilder b64 = new StringBuilder();
            int first = ++i;
            while (i < lines.length && !lines[i].strip().equals(end)) {
                String l = lines[i].strip();
                if (l.isEmpty() && i == lines.length - 1) {
                    i++;
                    break;
                }
                if (!BASE64_LINE.matcher(l).matches()) {
                    throw new PemException("line " + (i + 1) + " of the " + label + " block is not base64"
                            + (l.contains(":") ? " (PEM headers, e.g. of an encrypted key, are not supported)" : ""));
                }
                b64.append(l);
                i++;
            }
            if (i >= lines.length) {
                throw new PemException("the " + label + " block starting at line " + first + " has no END line");
            }
            i++;
            blocks.add(new Block(label, decode(b64.toString(), label)));
        }
        if (blocks.isEmpty()) {
            throw new PemException("no PEM block");
        }
        return blocks;
    }

    /** The single block of {@code text}, which must carry one of {@code labels}. */
    public static Block single(String text, String what, String... labels) throws PemException {
        List<Block> blocks = parse(text);
        if (blocks.size() != 1) {
            throw new PemException("expected one " + what + " PEM block, found " + blocks.size());
        }
        Block b = blocks.get(0);
        for (String l : labels) {
            if (l.equals(b.label())) {
                return b;
            }
        }
        throw new PemException("expected a " + what + " (" + String.join(" or ", labels) + "), found " + b.label());
    }

    private static byte[] decode(String b64, String label) throws PemException {
        int pad = b64.indexOf('=');
        if (b64.isEmpty() || b64.length() % 4 != 0 || (pad >= 0 && pad < b64.length() - 2)) {
            throw new PemException("the " + label + " block is not padded base64");
        }
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new PemException("the " + label + " block is not base64: " + e.getMessage());
        }
    }

    /** {@code der} as one PEM block, 64 characters a line, {@code \n} line ends. */
    public static String encode(String label, byte[] der) {
        String b64 = Base64.getEncoder().encodeToString(der);
        StringBuilder sb = new StringBuilder("-----BEGIN ").append(label).append("-----\n");
        for (int i = 0; i < b64.length(); i += 64) {
            sb.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
        }
        return sb.append("-----END ").append(label).append("-----\n").toString();
    }
}
