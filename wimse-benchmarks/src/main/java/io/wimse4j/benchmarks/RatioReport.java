package io.wimse4j.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * </ul>
 *
 * Usage: {@code java -cp wimse-benchmarks.jar io.wimse4j.benchmarks.RatioReport result.json}.
 */
public final class RatioReport {
    static final String VERIFY_ED25519 = "bareBcVerifyEd25519";
    static final String VERIFY_ES256 = "bareBcVerifyEs256";
    static final String SIGN_ED25519 = "bareBcSignEd25519";
    static final String FRESH = "FreshKey";
    static final String DEMO_NO_FILTER = "demoServiceNoFilter";
    private static final List<String> BASELINES = List.of(VERIFY_ED25519, VERIFY_ES256, SIGN_ED25519, DEMO_NO_FILTER);
    /** The issuer key algorithm the request benchmarks use for WITs. */
    static final String WIT_ALG = "ES256";

    /**
     * One JMH result: method name, parameters, score (mean over measurement iterations), its 99.9%
     * error (NaN when unknown), and the best single iteration (the raw data's maximum; the score
     * when JMH gave no raw data).
     */
    public record Result(String benchmark, Map<String, String> params, double score, double error, double best,
                         String unit) {
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
     * A benchmark with its baseline: {@code ratio = result.score / baselineScore} (means), and
     * {@code bestRatio = result.best / baselineBest} (best iterations). Interference from other
     * processes only ever slows an iteration down, so on a shared machine the best-iteration ratio
     * is the steadier of the two; when they disagree a lot, the run was noisy.
     */
    public record Row(Result result, String baselineName, double baselineScore, double baselineBest) {
        public double ratio() {
            return result.score() / baselineScore;
        }

        public double bestRatio() {
            return result.best() / baselineBest;
        }
    }

    private RatioReport() {
    }

    /** Parses JMH's JSON output. Benchmark names are reduced to the method name. */
    public static List<Result> parse(String json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        if (root == null || !root.isArray()) {
            throw new IOException("not a JMH JSON result (expected an array)");
        }
        List<Result> out = new ArrayList<>();
        for (JsonNode b : root) {
            String name = b.path("benchmark").asText();
            String method = name.substring(name.lastIndexOf('.') + 1);
            Map<String, String> params = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = b.path("params").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), e.getValue().asText());
            }
            JsonNode metric = b.path("primaryMetric");
            double error = metric.path("scoreError").isNumber() ? metric.path("scoreError").asDouble() : Double.NaN;
            double score = metric.path("score").asDouble(Double.NaN);
            double best = Double.NEGATIVE_INFINITY;
            for (JsonNode fork : metric.path("rawData")) {
                for (JsonNode iteration : fork) {
                    best = Math.max(best, iteration.asDouble());
                }
            }
            out.add(new Result(method, params, score, error, best == Double.NEGATIVE_INFINITY ? score : best,
                    metric.path("scoreUnit").asText("")));
        }
        return out;
    }

    /** Pairs each non-baseline result with its baseline; results without one are left out. */
    public static List<Row> ratios(List<Result> results) {
        List<Row> rows = new ArrayList<>();
        for (Result r : results) {
            if (BASELINES.contains(r.benchmark())) {
                continue;
            }
            baselineFor(r, results, false).ifPresent(b -> rows.add(new Row(r, b.getKey(), b.getValue()[0], b.getValue()[1])));
            if (r.benchmark().startsWith("requestVerifyUncachedWit")) {
                baselineFor(r, results, true).ifPresent(b -> rows.add(new Row(r, b.getKey(), b.getValue()[0], b.getValue()[1])));
            }
        }
        return rows;
    }

    /** The baseline's name and its {mean, best} throughput. */
    private static Optional<Map.Entry<String, double[]>> baselineFor(Result r, List<Result> results, boolean freshProofKey) {
        String b = r.benchmark();
        if (b.startsWith("bareBcVerify") && b.endsWith(FRESH)) {
            String warm = b.substring(0, b.length() - FRESH.length());
            return score(results, warm).map(s -> Map.entry(warm, s));
        }
        if (b.equals("demoServiceWithFilter")) {
            return score(results, DEMO_NO_FILTER).map(s -> Map.entry(DEMO_NO_FILTER, s));
        }
        if (b.equals("issue")) {
            return issuanceBaseline(r, results);
        }
        if (b.equals("wptCreate")) {
            return score(results, SIGN_ED25519).map(s -> Map.entry(SIGN_ED25519, s));
        }
        if (b.startsWith("requestVerify")) {
            String proofBaseline = verifyBaseline(r.params().getOrDefault("workloadAlg", "EdDSA"));
            if (proofBaseline == null) {
                return Optional.empty();
            }
            String proofName = freshProofKey ? proofBaseline + FRESH : proofBaseline;
            Optional<double[]> proof = score(results, proofName);
            if (b.startsWith("requestVerifyUncachedWit")) {
                String witBaseline = verifyBaseline(WIT_ALG);
                Optional<double[]> wit = score(results, witBaseline);
                if (proof.isEmpty() || wit.isEmpty()) {
                    return Optional.empty();
                }
                double[] serial = {
                        1 / (1 / wit.get()[0] + 1 / proof.get()[0]),
                        1 / (1 / wit.get()[1] + 1 / proof.get()[1])};
                return Optional.of(Map.entry(witBaseline + " then " + proofName, serial));
            }
            return freshProofKey ? Optional.empty() : proof.map(s -> Map.entry(proofBaseline, s));
        }
        return Optional.empty();
    }

    /**
     * {@code IdentityServerBenchmark.issue} (throughput only): the bare signature operations one
     * issuance needs, in series. join_token: the proof's fresh-key verification, then the WIT
     * signature; wit (renewal): proof (fresh key), WIT (server key), WPT (fresh key), then the WIT
     * signature. All Ed25519.
     */
    private static Optional<Map.Entry<String, double[]>> issuanceBaseline(Result r, List<Result> results) {
        if (!r.unit().equals("ops/s")) {
            return Optional.empty();
        }
        List<String> ops = "wit".equals(r.params().get("attestation"))
                ? List.of(VERIFY_ED25519 + FRESH, VERIFY_ED25519, VERIFY_ED25519 + FRESH, SIGN_ED25519)
                : List.of(VERIFY_ED25519 + FRESH, SIGN_ED25519);
        double mean = 0;
        double best = 0;
        for (String op : ops) {
            Optional<double[]> s = score(results, op);
            if (s.isEmpty()) {
                return Optional.empty();
            }
            mean += 1 / s.get()[0];
            best += 1 / s.get()[1];
        }
        return Optional.of(Map.entry(String.join(" then ", ops), new double[] {1 / mean, 1 / best}));
    }

    private static String verifyBaseline(String alg) {
        return switch (alg) {
            case "EdDSA" -> VERIFY_ED25519;
            case "ES256" -> VERIFY_ES256;
            default -> null;
        };
    }

    private static Optional<double[]> score(List<Result> results, String benchmark) {
        return results.stream().filter(x -> x.benchmark().equals(benchmark))
                .map(x -> new double[] {x.score(), x.best()}).findFirst();
    }

    /** The table printed by {@link #main}: baselines first, then one row per benchmark. */
    public static String format(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("Baselines (bare BouncyCastle; the demo service without its filter), this run:\n");
        for (Result r : results) {
            if (BASELINES.contains(r.benchmark())) {
                sb.append(String.format(Locale.ROOT, "  %-28s %10.0f %s (best iteration %.0f)%n",
                        r.benchmark(), r.score(), r.unit(), r.best()));
            }
        }
        List<Row> rows = ratios(results);
        int width = Math.max(40, rows.stream().mapToInt(x -> x.result().label().length()).max().orElse(0));
        int bwidth = Math.max(8, rows.stream().mapToInt(x -> x.baselineName().length()).max().orElse(0));
        sb.append('\n').append(String.format(Locale.ROOT, "%-" + width + "s  %10s  %-" + bwidth + "s  %10s  %6s  %6s%n",
                "benchmark", "ops/s", "baseline", "base ops/s", "ratio", "best"));
        for (Row row : rows) {
            sb.append(String.format(Locale.ROOT, "%-" + width + "s  %10.0f  %-" + bwidth + "s  %10.0f  %6.2f  %6.2f%n",
                    row.result().label(), row.result().score(), row.baselineName(), row.baselineScore(), row.ratio(),
                    row.bestRatio()));
        }
        sb.append("\nratio = mean ops/s / baseline mean ops/s; best = best iteration / baseline's best iteration.\n");
        if (rows.isEmpty()) {
            sb.append("(no benchmark with a baseline in this run: include the bareBc* benchmarks)\n");
        }
        return sb.toString();
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: RatioReport <jmh-result.json>");
            System.exit(2);
        }
        System.out.print(format(parse(Files.readString(Path.of(args[0])))));
    }
}
