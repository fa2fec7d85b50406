package io.wimse4j.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns the fuzzer's bytes into an input for a target that has a valid seed: the empty input is the seed
 * itself; an input starting with {@code 'R'} is taken raw (the rest of the bytes, for the parser's own
 * syntax); any other input is a list of edits of the seed, three bytes each (operation, position low,
 * position high), so that coverage guidance starts from inputs that reach the signature check and the
 * claim rules rather than stopping at the first parser error. The operations are: replace a byte,
 * insert one, delete one, and replace one by a character of the token alphabets.
 */
public final class Mutation {
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/:;,\"{} ".getBytes(StandardCharsets.US_ASCII);

    private Mutation() {
    }

    /** The input {@code data} stands for, given the valid {@code seed}. */
    public static byte[] apply(byte[] seed, byte[] data) {
        if (data.length == 0) {
            return seed.clone();
        }
        if (data[0] == 'R') {
            return Arrays.copyOfRange(data, 1, data.length);
        }
        byte[] out = seed.clone();
        int len = out.length;
        for (int i = 0; i + 2 < data.length; i += 3) {
            int op = (data[i] & 0xff) % 4;
            int at = ((data[i + 1] & 0xff) | (data[i + 2] & 0xff) << 8);
            switch (op) {
                case 0 -> {
                    if (len > 0) {
                        out[at % len] = data[i + 1];
                    }
                }
                case 1 -> {
                    int p = len == 0 ? 0 : at % (len + 1);
                    byte[] grown = new byte[len + 1];
                    System.arraycopy(out, 0, grown, 0, p);
                    grown[p] = data[i + 2];
                    System.arraycopy(out, p, grown, p + 1, len - p);
                    out = grown;
                    len++;
                }
                case 2 -> {
                    if (len > 0) {
                        int p = at % len;
                        byte[] shrunk = new byte[len - 1];
                        System.arraycopy(out, 0, shrunk, 0, p);
                        System.arraycopy(out, p + 1, shrunk, p, len - p - 1);
                        out = shrunk;
                        len--;
                    }
                }
                default -> {
                    if (len > 0) {
                        out[at % len] = ALPHABET[(data[i] & 0xff) % ALPHABET.length];
                    }
                }
            }
        }
        return out;
    }

    /** {@link #apply} as text (ISO-8859-1, one character per byte, so no input is lost to decoding). */
    public static String apply(String seed, byte[] data) {
        return new String(apply(seed.getBytes(StandardCharsets.ISO_8859_1), data), StandardCharsets.ISO_8859_1);
    }
}
