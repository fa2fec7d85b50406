package io.wimse4j.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.jose.JwsAlgorithm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Reads a Wycheproof signature-verification file ({@code shared/vectors/wycheproof/}, searched
 * upward from the working directory) and turns each test group's public key into a public JWK
 * ({@code alg} set to the JWS algorithm, {@code use} = {@code sig}) built from the group's raw key
 * members ({@code wx}/{@code wy}, {@code pk}, {@code modulus}/{@code publicExponent}), never from
 * the file's own {@code publicKeyJwk}, which only some groups carry and which serves as a cross-check.
 *
 * @param file          the file name
 * @param algorithm     the JWS algorithm the file is run under
 * @param numberOfTests the count the file states
 * @param groups        its test groups, in file order
 */
public record WycheproofVectors(String file, JwsAlgorithm algorithm, int numberOfTests, List<Group> groups) {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    /**
     * One test group: the key as wimse4j is given it, and its cases.
     *
     * @param index   position of the group in the file (0-based)
     * @param kid     the {@code kid} put in the JWK
     * @param jwks    {@code {"keys":[jwk]}} as JSON
     * @param fileJwk the file's own {@code publicKeyJwk} / {@code keyJwk}, when it has one
     * @param cases   the group's cases
     */
    public record Group(int index, String kid, String jwks, Optional<JsonNode> fileJwk, List<Case> cases) {
        /** The converted JWK (the only member of {@link #jwks()}). */
        public JsonNode jwk() {
            try {
                return MAPPER.readTree(jwks).get("keys").get(0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * One case.
     *
     * @param tcId      Wycheproof's id, unique in the file
     * @param result    {@code valid}, {@code invalid} or {@code acceptable}
     * @param comment   Wycheproof's comment
     * @param flags     Wycheproof's flags
     * @param msg       the message (the JWS signing input)
     * @param signature the signature as a JWS carries it (r||s for ECDSA)
     */
    public record Case(int tcId, String result, String comment, List<String> flags, byte[] msg, byte[] signature) {
    }

    /** The {@code shared/vectors/wycheproof} directory, searched upward from the working directory. */
    public static Optional<Path> directory() {
        Optional<Path> shared = sharedDirectory();
        return shared.isPresent() ? shared : committedCopy();
    }

    /** {@code shared/vectors/wycheproof} above the working directory, where the project's specs live. */
    public static Optional<Path> sharedDirectory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("vectors").resolve("wycheproof");
            if (Files.isRegularFile(candidate.resolve("NOTICE.md"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The copy committed under {@code src/test/resources/wycheproof} (unmodified, with its LICENSE and
     * NOTICE), so a clone without {@code shared/} beside it still runs the vectors.
     */
    public static Optional<Path> committedCopy() {
        java.net.URL notice = WycheproofVectors.class.getResource("/wycheproof/NOTICE.md");
        if (notice == null || !"file".equals(notice.getProtocol())) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(notice.toURI()).getParent());
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** Reads {@code file} of {@code dir} to be run under {@code alg}; fails on a file that does not fit {@code alg}. */
    public static WycheproofVectors read(Path dir, String file, JwsAlgorithm alg) {
        JsonNode root;
        try {
            root = MAPPER.readTree(dir.resolve(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Group> groups = new ArrayList<>();
        JsonNode testGroups = root.get("testGroups");
        for (int i = 0; i < testGroups.size(); i++) {
            JsonNode g = testGroups.get(i);
            checkFits(file, alg, g);
            String kid = file.replace(".json", "") + "-g" + i;
            ObjectNode jwk = jwk(alg, g.get("publicKey"));
            jwk.put("kid", kid).put("use", "sig").put("alg", alg.jwaName());
            ObjectNode jwks = MAPPER.createObjectNode();
            jwks.putArray("keys").add(jwk);
            JsonNode fileJwk = g.has("publicKeyJwk") ? g.get("publicKeyJwk") : g.get("keyJwk");
            List<Case> cases = new ArrayList<>();
            for (JsonNode t : g.get("tests")) {
                List<String> flags = new ArrayList<>();
                t.get("flags").forEach(f -> flags.add(f.asText()));
                cases.add(new Case(t.get("tcId").asInt(), t.get("result").asText(), t.get("comment").asText(),
                        List.copyOf(flags), HEX.parseHex(t.get("msg").asText()), HEX.parseHex(t.get("sig").asText())));
            }
            groups.add(new Group(i, kid, jwks.toString(), Optional.ofNullable(fileJwk), List.copyOf(cases)));
        }
        return new WycheproofVectors(file, alg, root.get("numberOfTests").asInt(), List.copyOf(groups));
    }

    /** Every case of the file, in order. */
    public List<Case> cases() {
        return groups.stream().flatMap(g -> g.cases().stream()).toList();
    }

    private static void checkFits(String file, JwsAlgorithm alg, JsonNode g) {
        String type = g.get("type").asText();
        String want = switch (alg) {
            case ES256, ES384 -> "EcdsaP1363Verify";
            case EdDSA, Ed25519 -> "EddsaVerify";
            case RS256 -> "RsassaPkcs1Verify";
            case PS256 -> "RsassaPssVerify";
        };
        String sha = alg == JwsAlgorithm.ES384 ? "SHA-384" : "SHA-256";
        boolean fits = type.equals(want)
                && (alg.keyType().equals("OKP") || sha.equals(g.path("sha").asText()))
                && (alg != JwsAlgorithm.PS256 || ("MGF1".equals(g.path("mgf").asText()) && sha.equals(g.path("mgfSha").asText())));
        if (!fits) {
            throw new IllegalStateException(file + ": group of type " + type + " / " + g.path("sha").asText()
                    + " does not fit " + alg);
        }
    }

    private static ObjectNode jwk(JwsAlgorithm alg, JsonNode pk) {
        ObjectNode jwk = MAPPER.createObjectNode();
        switch (alg) {
            case ES256, ES384 -> {
                String crv = alg == JwsAlgorithm.ES256 ? "P-256" : "P-384";
                String curve = alg == JwsAlgorithm.ES256 ? "secp256r1" : "secp384r1";
                if (!curve.equals(pk.get("curve").asText())) {
                    throw new IllegalStateException("curve " + pk.get("curve").asText() + " does not fit " + alg);
                }
                int len = alg == JwsAlgorithm.ES256 ? 32 : 48;
                jwk.put("kty", "EC").put("crv", crv)
                        .put("x", b64(fixedLength(pk.get("wx").asText(), len)))
                        .put("y", b64(fixedLength(pk.get("wy").asText(), len)));
            }
            case EdDSA, Ed25519 -> jwk.put("kty", "OKP").put("crv", "Ed25519").put("x", b64(HEX.parseHex(pk.get("pk").asText())));
            case RS256, PS256 -> jwk.put("kty", "RSA")
                    .put("n", b64(minimal(pk.get("modulus").asText())))
                    .put("e", b64(minimal(pk.get("publicExponent").asText())));
        }
        return jwk;
    }

    /** An unsigned big-endian integer in hex as exactly {@code len} bytes (RFC 7518 6.2.1.2), or minimal when longer. */
    private static byte[] fixedLength(String hex, int len) {
        byte[] min = minimal(hex);
        if (min.length >= len) {
            return min;
        }
        byte[] out = new byte[len];
        System.arraycopy(min, 0, out, len - min.length, min.length);
        return out;
    }

    /** An unsigned big-endian integer in hex without leading zero bytes (RFC 7518 6.3.1). */
    private static byte[] minimal(String hex) {
        byte[] b = new BigInteger(1, HEX.parseHex(hex)).toByteArray();
        int skip = 0;
        while (skip < b.length - 1 && b[skip] == 0) {
            skip++;
        }
        return java.util.Arrays.copyOfRange(b, skip, b.length);
    }

    private static String b64(byte[] b) {
        return B64URL.encodeToString(b);
    }
}
