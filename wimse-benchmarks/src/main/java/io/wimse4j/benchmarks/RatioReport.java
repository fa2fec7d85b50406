package io.wimse4j.benchmarks;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a JMH JSON result file ({@code -rf json}) and expresses every benchmark as a ratio to the
 * bare BouncyCastle operation it builds on, measured in the same run (design, "Performance
 * model"). Absolute numbers on a shared machine say little; ratios within one run say more.
 *
 * <ul>
 *   <li>{@code requestVerifyCachedWit*} with {@code workloadAlg=X}: one verification of X
 *       ({@code bareBcVerifyEd25519} or {@code bareBcVerifyEs256}).</li>
 *   <li>{@code requestVerifyUncachedWit}: the WIT's ES256 verification and the proof's X
 *       verification in series, i.e. {@code 1 / (1/es256 + 1/x)} ops/s; and, when the run has
 *       the {@code *FreshKey} baselines, a second row with the proof verified by a fresh key
 *       (the {@code cnf} key of an uncached WIT is decoded anew for every request).</li>
 *   <li>{@code bareBcVerify*FreshKey}: the same verification with a reused key.</li>
 *   <li>{@code wptCreate}: {@code bareBcSignEd25519}.</li>
 *   <li>{@code demoServiceWithFilter}: {@code demoServiceNoFilter}, the same HTTP service without
 *       {@code WimseFilter} (requests per second on loopback).</li>
 *   <li>{@code requestVerifyCachedWit2Threads} ("2 threads vs 1"): {@code requestVerifyCachedWit}
 *       with the same {@code workloadAlg}, one thread.</li>
 *   <li>{@code redisVerify} ("redis vs in-memory"): {@code inMemoryVerify} with the same parameters.</li>
 *   <li>{@code mtlsHandshakeWimse}: {@code mtlsHandshakeJdk}, the same mutual-TLS handshake through the
 *       JDK's own key and PKIX trust managers, run at the same time in one JMH group.</li>
 *   <li>{@code httpsigVerifyCachedWit} with {@code workloadAlg=X} ({@link HttpSignatureVerifyBenchmark}): one
 *       verification of X, as {@code requestVerifyCachedWit}; target {@value #HTTPSIG_TARGET} (printed under
 *       "Targets").</li>
 *   <li>{@code contentDigestOf}, {@code contentDigestVerify} with {@code bodySize=N}: {@code bareSha256} of the
 *       same {@code bodySize}; the report also prints their MB/s.</li>
 * </ul>
 * Benchmarks with no baseline ({@code firstUseAt1M}, {@code replayAt1M} of
 * {@link ReplayCacheBenchmark}) are listed on their own with the range of their iterations.
 *
 * <p><b>Spread.</b> Next to each ratio the report prints the spread of its iterations, the range
 * {@code min..max} of the per-iteration ratios {@code b[i] / base[i]}: iteration {@code i} of the
 * benchmark paired with iteration {@code i} of its baseline (measurement iterations in the order JMH
 * reports them, forks one after the other; {@code i} up to the shorter of the two; a baseline made of
 * several operations in series combines their iterations {@code i}). The two iterations of a pair
 * ran at different times, so the spread shows how far the ratio moves with the machine's load in
 * this run: a figure quoted from a run should be a range no narrower than its spread (or a value
 * rounded to no more digits than the spread allows). Without raw data the spread is the ratio alone.
 *
 * <p>Usage: {@code java -cp wimse-benchmarks.jar io.wimse4j.benchmarks.RatioReport result.json [footprint.txt]},
 * the optional file holding the {@code replay-cache-footprint ...} line of {@link ReplayCacheFootprint}.
 */
public final class RatioReport {
    static final String VERIFY_ED25519 = "bareBcVerifyEd25519";
    static final String VERIFY_ES256 = "bareBcVerifyEs256";
    static final String SIGN_ED25519 = "bareBcSignEd25519";
    static final String FRESH = "FreshKey";
    static final String DEMO_NO_FILTER = "demoServiceNoFilter";
    static final String CACHED_WIT = "requestVerifyCachedWit";
    static final String TWO_THREADS = "requestVerifyCachedWit2Threads";
    static final String REDIS = "redisVerify";
    static final String IN_MEMORY = "inMemoryVerify";
    static final String JDK_HANDSHAKE = "mtlsHandshakeJdk";
    static final String HTTPSIG_VERIFY = "httpsigVerify";
    static final String BARE_SHA256 = "bareSha256";
    static final String CONTENT_DIGEST = "contentDigest";
    /** The ratio {@code httpsigVerify*} should reach: of one bare verification of the workload key's algorithm. */
    static final double HTTPSIG_TARGET = 0.85;
    private static final List<String> BASELINES = List.of(VERIFY_ED25519, VERIFY_ES256, SIGN_ED25519, DEMO_NO_FILTER,
            IN_MEMORY, JDK_HANDSHAKE, BARE_SHA256);
    /** The issuer key algorithm the request benchmarks use for WITs. */
    static final String WIT_ALG = "ES256";

    /**
     * One JMH result: method name, parameters, score (mean over measurement iterations), its 99.9%
     * error (NaN when unknown), the best single iteration (the raw data's maximum; the score when
     * JMH gave no raw data), and every measurement iteration in order (forks one after the other;
     * just the score when JMH gave no raw data).
     */
    public record Result(String benchmark, Map<String, String> params, double score, double error, double best,
                         String unit, List<Double> iterations) {
        /** A result whose only iteration is its score. */
        public Result(String benchmark, Map<String, String> params, double score, double error, double best, String unit) {
            this(benchmark, params, score, error, best, unit, List.of(score));
        }

        /** The slowest iteration. */
        public double worst() {
            return iterations.stream().mapToDouble(Double::doubleValue).min().orElse(score);
        }

        String label() {
            if (params.isEmpty()) {
                return benchmark;
            }
            StringBuilder sb = new StringBuilder(benchmark).append(" [");
            params.forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '[' ? "" : ", ").append(k).append('=').append(v));
            return sb.append(']').toString();
        }
    }

    /**
     * A benchmark with its baseline: {@code ratio = result.score / baselineScore} (means),
     * {@code bestRatio = result.best / baselineBest} (best iterations), and the spread
     * {@link #spreadMin()}..{@link #spreadMax()} of the per-iteration ratios (see the class
     * comment). Interference from other processes only ever slows an iteration down, so on a shared
     * machine the best-iteration ratio is the steadier of the two; when they disagree a lot, or the
     * spread is wide, the run was noisy.
     */
    public record Row(Result result, String baselineName, double baselineScore, double baselineBest,
                      List<Double> baselineIterations) {
        /** A row whose baseline's only iteration is its score. */
        public Row(Result result, String baselineName, double baselineScore, double baselineBest) {
            this(result, baselineName, baselineScore, baselineBest, List.of(baselineScore));
        }

        /** Mean over mean. */
        public double ratio() {
            return result.score() / baselineScore;
        }

        /** Best iteration over best iteration. */
        public double bestRatio() {
            return result.best() / baselineBest;
        }

        /** {@code result.iterations[i] / baselineIterations[i]}, {@code i} up to the shorter list. */
        public List<Double> iterationRatios() {
            int n = Math.min(result.iterations().size(), baselineIterations.size());
            List<Double> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(result.iterations().get(i) / baselineIterations.get(i));
            }
            return out;
        }

        /** The lowest per-iteration ratio (the ratio itself when there are none). */
        public double spreadMin() {
            return iterationRatios().stream().mapToDouble(Double::doubleValue).min().orElse(ratio());
        }

        /** The highest per-iteration ratio (the ratio itself when there are none). */
        public double spreadMax() {
            return iterationRatios().stream().mapToDouble(Double::doubleValue).max().orElse(ratio());
        }
    }

    /** A baseline: its name, mean, best iteration and iterations (several operations in series combined). */
    private record Baseline(String name, double mean, double best, List<Double> iterations) {
        static Baseline of(Result r) {
            return new Baseline(r.benchmark(), r.score(), r.best(), r.iterations());
        }

        /** These operations in series: {@code 1 / sum(1/x)} for the mean, the best and each iteration. */
        static Baseline serial(String name, List<Baseline> ops) {
            double mean = 0;
            double best = 0;
            int n = ops.stream().mapToInt(b -> b.iterations().size()).min().orElse(0);
            double[] it = new double[n];
            for (Baseline b : ops) {
                mean += 1 / b.mean();
                best += 1 / b.best();
                for (int i = 0; i < n; i++) {
                    it[i] += 1 / b.iterations().get(i);
                }
            }
            List<Double> iterations = new ArrayList<>(n);
            for (double x : it) {
                iterations.add(1 / x);
            }
            return new Baseline(name, 1 / mean, 1 / best, iterations);
        }

        Row row(Result r) {
            return new Row(r, name, mean, best, iterations);
        }
    }

    private RatioReport() {
    }

    /** Parses JMH's JSON output ({@link JmhJson#parse}). */
    public static List<Result> parse(String json) throws IOException {
        return JmhJson.parse(json);
    }

    /** Pairs each non-baseline result with its baseline; results without one are left out. */
    public static List<Row> ratios(List<Result> results) {
        List<Row> rows = new ArrayList<>();
        for (Result r : results) {
            if (BASELINES.contains(r.benchmark())) {
                continue;
            }
            baselineFor(r, results, false).ifPresent(b -> rows.add(b.row(r)));
            if (r.benchmark().startsWith("requestVerifyUncachedWit")) {
                baselineFor(r, results, true).ifPresent(b -> rows.add(b.row(r)));
            }
        }
        return rows;
    }

    /** Results that are neither a baseline nor have one in this run. */
    public static List<Result> withoutBaseline(List<Result> results) {
        return results.stream().filter(r -> !BASELINES.contains(r.benchmark()))
                .filter(r -> baselineFor(r, results, false).isEmpty()).toList();
    }

    private static Optional<Baseline> baselineFor(Result r, List<Result> results, boolean freshProofKey) {
        String b = r.benchmark();
        if (b.startsWith("bareBcVerify") && b.endsWith(FRESH)) {
            return score(results, b.substring(0, b.length() - FRESH.length()));
        }
        if (b.equals("demoServiceWithFilter")) {
            return score(results, DEMO_NO_FILTER);
        }
        if (b.equals("mtlsHandshakeWimse")) {
            return score(results, JDK_HANDSHAKE);
        }
        if (b.equals("issue")) {
            return issuanceBaseline(r, results);
        }
        if (b.equals("wptCreate")) {
            return score(results, SIGN_ED25519);
        }
        if (b.equals(TWO_THREADS)) {
            return freshProofKey ? Optional.empty() : sameParams(results, CACHED_WIT, r)
                    .map(x -> new Baseline(CACHED_WIT + " (1 thread)", x.mean(), x.best(), x.iterations()));
        }
        if (b.equals(REDIS)) {
            return freshProofKey ? Optional.empty() : sameParams(results, IN_MEMORY, r);
        }
        if (b.startsWith(CONTENT_DIGEST)) {
            return freshProofKey ? Optional.empty() : sameParams(results, BARE_SHA256, r);
        }
        if (b.startsWith(HTTPSIG_VERIFY)) {
            String proofBaseline = verifyBaseline(r.params().getOrDefault("workloadAlg", "EdDSA"));
            return freshProofKey || proofBaseline == null ? Optional.empty() : score(results, proofBaseline);
        }
        if (b.startsWith("requestVerify")) {
            String proofBaseline = verifyBaseline(r.params().getOrDefault("workloadAlg", "EdDSA"));
            if (proofBaseline == null) {
                return Optional.empty();
            }
            String proofName = freshProofKey ? proofBaseline + FRESH : proofBaseline;
            Optional<Baseline> proof = score(results, proofName);
            if (b.startsWith("requestVerifyUncachedWit")) {
                String witBaseline = verifyBaseline(WIT_ALG);
                Optional<Baseline> wit = score(results, witBaseline);
                if (proof.isEmpty() || wit.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(Baseline.serial(witBaseline + " then " + proofName, List.of(wit.get(), proof.get())));
            }
            return freshProofKey ? Optional.empty() : proof;
        }
        return Optional.empty();
    }

    /**
     * {@code IdentityServerBenchmark.issue} (throughput only): the bare signature operations one
     * issuance needs, in series. join_token: the proof's fresh-key verification, then the WIT
     * signature; wit (renewal): proof (fresh key), WIT (server key), WPT (fresh key), then the WIT
     * signature. All Ed25519.
     */
    private static Optional<Baseline> issuanceBaseline(Result r, List<Result> results) {
        if (!r.unit().equals("ops/s")) {
            return Optional.empty();
        }
        List<String> ops = "wit".equals(r.params().get("attestation"))
                ? List.of(VERIFY_ED25519 + FRESH, VERIFY_ED25519, VERIFY_ED25519 + FRESH, SIGN_ED25519)
                : List.of(VERIFY_ED25519 + FRESH, SIGN_ED25519);
        List<Baseline> found = new ArrayList<>();
        for (String op : ops) {
            Optional<Baseline> s = score(results, op);
            if (s.isEmpty()) {
                return Optional.empty();
            }
            found.add(s.get());
        }
        return Optional.of(Baseline.serial(String.join(" then ", ops), found));
    }

    private static String verifyBaseline(String alg) {
        return switch (alg) {
            case "EdDSA", "Ed25519" -> VERIFY_ED25519; // ALG-1: one signature scheme, two names
            case "ES256" -> VERIFY_ES256;
            default -> null;
        };
    }

    private static Optional<Baseline> score(List<Result> results, String benchmark) {
        return results.stream().filter(x -> x.benchmark().equals(benchmark)).map(Baseline::of).findFirst();
    }

    /** {@code benchmark} run with the same parameters as {@code like}. */
    private static Optional<Baseline> sameParams(List<Result> results, String benchmark, Result like) {
        return results.stream().filter(x -> x.benchmark().equals(benchmark) && x.params().equals(like.params()))
                .map(Baseline::of).findFirst();
    }

    /** The table printed by {@link #main}: baselines first, then one row per benchmark. */
    public static String format(List<Result> results) {
        return format(results, Optional.empty());
    }

    /** {@link #format(List)} and, when given, the replay cache's footprint. */
    public static String format(List<Result> results, Optional<FootprintLine> footprint) {
        StringBuilder sb = new StringBuilder();
        sb.append("Baselines (bare BouncyCastle; the demo service without its filter; the in-memory replay cache; bare SHA-256), this run:\n");
        for (Result r : results) {
            if (BASELINES.contains(r.benchmark())) {
                sb.append(String.format(Locale.ROOT, "  %-28s %10.0f %s (best iteration %.0f)%n",
                        r.label(), r.score(), r.unit(), r.best()));
            }
        }
        List<Row> rows = ratios(results);
        int width = Math.max(40, rows.stream().mapToInt(x -> x.result().label().length()).max().orElse(0));
        int bwidth = Math.max(8, rows.stream().mapToInt(x -> x.baselineName().length()).max().orElse(0));
        sb.append('\n').append(String.format(Locale.ROOT, "%-" + width + "s  %10s  %-" + bwidth + "s  %10s  %6s  %-11s  %6s%n",
                "benchmark", "ops/s", "baseline", "base ops/s", "ratio", "spread", "best"));
        for (Row row : rows) {
            sb.append(String.format(Locale.ROOT, "%-" + width + "s  %10.0f  %-" + bwidth + "s  %10.0f  %6.2f  %-11s  %6.2f%n",
                    row.result().label(), row.result().score(), row.baselineName(), row.baselineScore(), row.ratio(),
                    String.format(Locale.ROOT, "%.2f..%.2f", row.spreadMin(), row.spreadMax()), row.bestRatio()));
        }
        sb.append("\nratio = mean ops/s / baseline mean ops/s; spread = lowest..highest of iteration i / baseline iteration i;\n"
                + "best = best iteration / baseline's best iteration. Quote a ratio as a range no narrower than its spread.\n");
        if (rows.isEmpty()) {
            sb.append("(no benchmark with a baseline in this run: include the bareBc* benchmarks)\n");
        }
        List<Row> targeted = rows.stream().filter(x -> x.result().benchmark().startsWith(HTTPSIG_VERIFY)).toList();
        if (!targeted.isEmpty()) {
            sb.append("\nTargets:\n");
            for (Row row : targeted) {
                sb.append(String.format(Locale.ROOT, "  %-" + width + "s  ratio %.2f (spread %.2f..%.2f, best %.2f) vs target >= %.2f: %s%n",
                        row.result().label(), row.ratio(), row.spreadMin(), row.spreadMax(), row.bestRatio(), HTTPSIG_TARGET,
                        row.ratio() >= HTTPSIG_TARGET ? "met" : row.bestRatio() >= HTTPSIG_TARGET ? "met by the best iterations only"
                                : "NOT met"));
            }
        }
        List<Result> digests = results.stream().filter(x -> (x.benchmark().startsWith(CONTENT_DIGEST) || x.benchmark().equals(BARE_SHA256))
                && x.params().containsKey("bodySize") && x.unit().equals("ops/s")).toList();
        if (!digests.isEmpty()) {
            sb.append("\nDigest throughput (bodySize x ops/s):\n");
            for (Result r : digests) {
                sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %8.1f MB/s%n", r.label(),
                        megabytesPerSecond(r)));
            }
        }
        List<Result> alone = withoutBaseline(results);
        if (!alone.isEmpty()) {
            sb.append("\nWithout a baseline (iterations lowest..highest):\n");
            for (Result r : alone) {
                sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %10.0f %s  (%.0f..%.0f)%n",
                        r.label(), r.score(), r.unit(), r.worst(), r.best()));
            }
        }
        footprint.ifPresent(f -> sb.append(String.format(Locale.ROOT,
                "%nReplay cache footprint (ReplayCacheFootprint, JOL): %.1f bytes per live entry at %,d live entries"
                        + " (%,d bytes; target <= 64)%n", f.bytesPerEntry(), f.entries(), f.bytes())));
        return sb.toString();
    }

    /** {@code bodySize} bytes times ops/s, in MB (10^6 bytes) per second. */
    static double megabytesPerSecond(Result r) {
        return Long.parseLong(r.params().get("bodySize")) * r.score() / 1e6;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: RatioReport <jmh-result.json> [replay-cache-footprint.txt]");
            System.exit(2);
        }
        Optional<FootprintLine> footprint = args.length == 2 ? FootprintLine.parse(Files.readString(Path.of(args[1]))) : Optional.empty();
        System.out.print(format(parse(Files.readString(Path.of(args[0]))), footprint));
    }
}
