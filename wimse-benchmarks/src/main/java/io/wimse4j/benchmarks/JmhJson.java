package io.wimse4j.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads JMH's JSON output into {@link RatioReport.Result}s. */
final class JmhJson {
    private JmhJson() {
    }

    /**
     * Parses JMH's JSON output. Benchmark names are reduced to the method name. A JMH group
     * ({@code @Group}, e.g. {@link MutualTlsHandshakeBenchmark}'s) is read as one result per method of
     * the group, from its secondary metrics (their iterations ran at the same time); the group's own
     * total is left out. Profilers' secondary metrics ({@code ·gc.alloc.rate}, ...) are ignored.
     */
    static List<RatioReport.Result> parse(String json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        if (root == null || !root.isArray()) {
            throw new IOException("not a JMH JSON result (expected an array)");
        }
        List<RatioReport.Result> out = new ArrayList<>();
        for (JsonNode b : root) {
            String name = b.path("benchmark").asText();
            String method = name.substring(name.lastIndexOf('.') + 1);
            Map<String, String> params = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = b.path("params").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), e.getValue().asText());
            }
            List<RatioReport.Result> members = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = b.path("secondaryMetrics").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().isEmpty() && Character.isJavaIdentifierStart(e.getKey().charAt(0))) {
                    members.add(result(e.getKey(), params, e.getValue()));
                }
            }
            if (members.isEmpty()) {
                out.add(result(method, params, b.path("primaryMetric")));
            } else {
                out.addAll(members);
            }
        }
        return out;
    }

    private static RatioReport.Result result(String method, Map<String, String> params, JsonNode metric) {
        double error = metric.path("scoreError").isNumber() ? metric.path("scoreError").asDouble() : Double.NaN;
        double score = metric.path("score").asDouble(Double.NaN);
        double best = Double.NEGATIVE_INFINITY;
        List<Double> iterations = new ArrayList<>();
        for (JsonNode fork : metric.path("rawData")) {
            for (JsonNode iteration : fork) {
                best = Math.max(best, iteration.asDouble());
                iterations.add(iteration.asDouble());
            }
        }
        return new RatioReport.Result(method, params, score, error, best == Double.NEGATIVE_INFINITY ? score : best,
                metric.path("scoreUnit").asText(""), iterations.isEmpty() ? List.of(score) : List.copyOf(iterations));
    }
}
