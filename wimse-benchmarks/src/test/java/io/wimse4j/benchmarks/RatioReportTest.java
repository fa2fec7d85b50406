package io.wimse4j.benchmarks;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RatioReportTest {
    private static String result(String method, String params, double score) {
        return "{\"benchmark\":\"io.wimse4j.benchmarks.X." + method + "\",\"mode\":\"thrpt\",\"params\":{" + params
                + "},\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":\"NaN\",\"scoreUnit\":\"ops/s\"}}";
    }

    private static String result(String method, double score, double... iterations) {
        StringBuilder raw = new StringBuilder();
        for (double it : iterations) {
            raw.append(raw.length() == 0 ? "" : ",").append(it);
        }
        return "{\"benchmark\":\"io.wimse4j.benchmarks.X." + method + "\",\"params\":{},\"primaryMetric\":{\"score\":"
                + score + ",\"scoreError\":12.5,\"scoreUnit\":\"ops/s\",\"rawData\":[[" + raw + "]]}}";
    }

    private static String result(String method, String params, double score, double... iterations) {
        StringBuilder raw = new StringBuilder();
        for (double it : iterations) {
            raw.append(raw.length() == 0 ? "" : ",").append(it);
        }
        return "{\"benchmark\":\"io.wimse4j.benchmarks.X." + method + "\",\"params\":{" + params
                + "},\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":1.0,\"scoreUnit\":\"ops/s\",\"rawData\":[["
                + raw + "]]}}";
    }

    private static final String JSON = "[" + String.join(",",
            result("bareBcVerifyEd25519", "", 16000),
            result("bareBcVerifyEs256", "", 12000),
            result("bareBcSignEd25519", "", 40000),
            result("requestVerifyCachedWit", "\"workloadAlg\":\"EdDSA\"", 14000),
            result("requestVerifyCachedWit", "\"workloadAlg\":\"ES256\"", 6000),
            result("requestVerifyUncachedWit", "\"workloadAlg\":\"EdDSA\"", 6000),
            result("wptCreate", "", 30000),
            result("somethingElse", "", 1)) + "]";

    @Test
    void parsesMethodNamesParamsAndScores() throws IOException {
        List<RatioReport.Result> results = RatioReport.parse(JSON);
        assertThat(results).hasSize(8);
        assertThat(results.get(3).benchmark()).isEqualTo("requestVerifyCachedWit");
        assertThat(results.get(3).params()).isEqualTo(Map.of("workloadAlg", "EdDSA"));
        assertThat(results.get(3).score()).isEqualTo(14000);
        assertThat(results.get(3).error()).isNaN();
    }

    @Test
    void dividesByTheMatchingBaseline() throws IOException {
        List<RatioReport.Row> rows = RatioReport.ratios(RatioReport.parse(JSON));
        assertThat(rows).extracting(r -> r.result().label()).containsExactly(
                "requestVerifyCachedWit [workloadAlg=EdDSA]", "requestVerifyCachedWit [workloadAlg=ES256]",
                "requestVerifyUncachedWit [workloadAlg=EdDSA]", "wptCreate");
        assertThat(rows.get(0).baselineName()).isEqualTo("bareBcVerifyEd25519");
        assertThat(rows.get(0).ratio()).isCloseTo(0.875, within(1e-9));
        assertThat(rows.get(1).baselineName()).isEqualTo("bareBcVerifyEs256");
        assertThat(rows.get(1).ratio()).isCloseTo(0.5, within(1e-9));
        // WIT (ES256) and proof (Ed25519) verified in series: 1 / (1/12000 + 1/16000) = 6857.14 ops/s
        assertThat(rows.get(2).baselineScore()).isCloseTo(48000.0 / 7, within(1e-6));
        assertThat(rows.get(2).ratio()).isCloseTo(6000 / (48000.0 / 7), within(1e-9));
        assertThat(rows.get(3).baselineName()).isEqualTo("bareBcSignEd25519");
        assertThat(rows.get(3).ratio()).isCloseTo(0.75, within(1e-9));
    }

    @Test
    void ALG_1_anEd25519NamedProofIsComparedWithTheBareEd25519Verification() throws IOException {
        String json = "[" + String.join(",",
                result("bareBcVerifyEd25519", "", 16000),
                result("requestVerifyCachedWit", "\"workloadAlg\":\"Ed25519\"", 12000)) + "]";
        List<RatioReport.Row> rows = RatioReport.ratios(RatioReport.parse(json));
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.baselineName()).isEqualTo("bareBcVerifyEd25519");
            assertThat(r.ratio()).isCloseTo(0.75, within(1e-9));
        });
    }

    @Test
    void issuanceIsComparedWithItsSignatureOperationsInSeriesAndSampleTimeIsLeftOut() throws IOException {
        String sample = "{\"benchmark\":\"io.wimse4j.benchmarks.X.issue\",\"mode\":\"sample\",\"params\":{\"attestation\":\"wit\"},"
                + "\"primaryMetric\":{\"score\":0.004,\"scoreError\":\"NaN\",\"scoreUnit\":\"s/op\"}}";
        String json = "[" + String.join(",",
                result("bareBcVerifyEd25519", "", 10000),
                result("bareBcVerifyEd25519FreshKey", "", 5000),
                result("bareBcSignEd25519", "", 20000),
                result("issue", "\"attestation\":\"join_token\"", 400),
                result("issue", "\"attestation\":\"wit\"", 250), sample) + "]";
        List<RatioReport.Row> rows = RatioReport.ratios(RatioReport.parse(json)).stream()
                .filter(r -> r.result().benchmark().equals("issue")).toList();
        assertThat(rows).hasSize(2);
        // join_token: fresh-key verify then sign: 1 / (1/5000 + 1/20000) = 4000 ops/s
        assertThat(rows.get(0).baselineName()).isEqualTo("bareBcVerifyEd25519FreshKey then bareBcSignEd25519");
        assertThat(rows.get(0).baselineScore()).isCloseTo(4000, within(1e-6));
        assertThat(rows.get(0).ratio()).isCloseTo(0.1, within(1e-9));
        // wit: 1 / (1/5000 + 1/10000 + 1/5000 + 1/20000) = 20000 / 11
        assertThat(rows.get(1).baselineScore()).isCloseTo(20000.0 / 11, within(1e-6));
    }

    @Test
    void bestRatioUsesTheBestIterationOfEach() throws IOException {
        String json = "[" + result("bareBcSignEd25519", 30000, 20000, 30000, 40000) + ","
                + result("wptCreate", 25000, 30000, 20000, 25000) + "]";
        List<RatioReport.Result> results = RatioReport.parse(json);
        assertThat(results.get(0).best()).isEqualTo(40000);
        assertThat(results.get(0).error()).isEqualTo(12.5);
        RatioReport.Row row = RatioReport.ratios(results).get(0);
        assertThat(row.ratio()).isCloseTo(25000 / 30000.0, within(1e-9));
        assertThat(row.bestRatio()).isCloseTo(0.75, within(1e-9));
        // without raw data, best falls back to the score
        assertThat(RatioReport.parse(JSON).get(0).best()).isEqualTo(16000);
    }

    @Test
    void freshKeyBaselinesCompareWithReusedKeysAndAddAnUncachedRow() throws IOException {
        String json = "[" + String.join(",",
                result("bareBcVerifyEd25519", "", 16000),
                result("bareBcVerifyEs256", "", 12000),
                result("bareBcVerifyEs256FreshKey", "", 4000),
                result("requestVerifyUncachedWit", "\"workloadAlg\":\"ES256\"", 2500)) + "]";
        List<RatioReport.Row> rows = RatioReport.ratios(RatioReport.parse(json));
        assertThat(rows).extracting(RatioReport.Row::baselineName).containsExactly(
                "bareBcVerifyEs256",
                "bareBcVerifyEs256 then bareBcVerifyEs256",
                "bareBcVerifyEs256 then bareBcVerifyEs256FreshKey");
        assertThat(rows.get(0).ratio()).isCloseTo(4000 / 12000.0, within(1e-9));
        assertThat(rows.get(1).baselineScore()).isCloseTo(6000, within(1e-6));
        assertThat(rows.get(2).baselineScore()).isCloseTo(3000, within(1e-6));
        assertThat(rows.get(2).ratio()).isCloseTo(2500 / 3000.0, within(1e-9));
    }

    @Test
    void leavesOutRowsWhoseBaselineWasNotRun() throws IOException {
        String json = "[" + result("requestVerifyCachedWit", "\"workloadAlg\":\"EdDSA\"", 1000) + "]";
        assertThat(RatioReport.ratios(RatioReport.parse(json))).isEmpty();
        assertThat(RatioReport.format(RatioReport.parse(json))).contains("no benchmark with a baseline");
    }

    @Test
    void formatsATable() throws IOException {
        String table = RatioReport.format(RatioReport.parse(JSON));
        assertThat(table).contains("bareBcVerifyEd25519").contains("0.88").contains("0.50").contains("0.75");
    }

    @Test
    void spreadPairsIterationIOfTheBenchmarkWithIterationIOfItsBaseline() throws IOException {
        // baseline 100, 200, 100; benchmark 90, 100, 95: ratios 0.90, 0.50, 0.95
        String json = "[" + result("bareBcSignEd25519", 133.3, 100, 200, 100) + ","
                + result("wptCreate", 95, 90, 100, 95) + "]";
        RatioReport.Row row = RatioReport.ratios(RatioReport.parse(json)).get(0);
        assertThat(row.iterationRatios()).containsExactly(0.9, 0.5, 0.95);
        assertThat(row.spreadMin()).isEqualTo(0.5);
        assertThat(row.spreadMax()).isEqualTo(0.95);
        // not the same as best over best (100 / 200) nor min over max
        assertThat(row.bestRatio()).isEqualTo(0.5);
        assertThat(RatioReport.format(RatioReport.parse(json))).contains("0.50..0.95");
    }

    @Test
    void spreadUsesTheShorterListAndCollapsesToTheRatioWithoutRawData() throws IOException {
        String json = "[" + result("bareBcSignEd25519", 100, 100, 100, 100, 50) + ","
                + result("wptCreate", 80, 80, 60) + "]";
        RatioReport.Row row = RatioReport.ratios(RatioReport.parse(json)).get(0);
        assertThat(row.iterationRatios()).containsExactly(0.8, 0.6);
        RatioReport.Row plain = RatioReport.ratios(RatioReport.parse(JSON)).get(0);
        assertThat(plain.spreadMin()).isEqualTo(plain.ratio());
        assertThat(plain.spreadMax()).isEqualTo(plain.ratio());
    }

    @Test
    void aSerialBaselineCombinesTheIterationsOfItsOperations() throws IOException {
        // per iteration: 1 / (1/es256 + 1/ed25519) = 1/(1/12000 + 1/6000) = 4000, then 1/(1/6000 + 1/12000) = 4000
        String json = "[" + String.join(",",
                result("bareBcVerifyEd25519", "", 9000, 6000, 12000),
                result("bareBcVerifyEs256", "", 9000, 12000, 6000),
                result("requestVerifyUncachedWit", "\"workloadAlg\":\"EdDSA\"", 3000, 2000, 4000)) + "]";
        RatioReport.Row row = RatioReport.ratios(RatioReport.parse(json)).get(0);
        assertThat(row.baselineName()).isEqualTo("bareBcVerifyEs256 then bareBcVerifyEd25519");
        assertThat(row.iterationRatios()).hasSize(2);
        assertThat(row.spreadMin()).isCloseTo(0.5, within(1e-9));
        assertThat(row.spreadMax()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void twoThreadsAreComparedWithOneThreadOfTheSameAlgorithm() throws IOException {
        String json = "[" + String.join(",",
                result("requestVerifyCachedWit", "\"workloadAlg\":\"EdDSA\"", 10000, 9000, 11000),
                result("requestVerifyCachedWit", "\"workloadAlg\":\"ES256\"", 5000, 5000, 5000),
                result("requestVerifyCachedWit2Threads", "\"workloadAlg\":\"ES256\"", 9500, 9000, 10000),
                result("requestVerifyCachedWit2Threads", "\"workloadAlg\":\"EdDSA\"", 19000, 18000, 20000)) + "]";
        List<RatioReport.Row> rows = RatioReport.ratios(RatioReport.parse(json)).stream()
                .filter(r -> r.result().benchmark().equals("requestVerifyCachedWit2Threads")).toList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).baselineName()).isEqualTo("requestVerifyCachedWit (1 thread)");
        assertThat(rows.get(0).ratio()).isCloseTo(1.9, within(1e-9));
        assertThat(rows.get(0).spreadMin()).isCloseTo(1.8, within(1e-9));
        assertThat(rows.get(0).spreadMax()).isCloseTo(2.0, within(1e-9));
        assertThat(rows.get(1).ratio()).as("EdDSA with EdDSA").isCloseTo(1.9, within(1e-9));
        assertThat(rows.get(1).iterationRatios()).containsExactly(2.0, 20000 / 11000.0);
    }

    @Test
    void aJmhGroupIsReadAsOneResultPerMethodAndTheHandshakeIsComparedWithTheJdksOfTheSameSeconds() throws IOException {
        // @Group("mtlsHandshake"): the primary metric is the group's total, the secondary ones its methods
        String json = "[{\"benchmark\":\"io.wimse4j.benchmarks.MutualTlsHandshakeBenchmark.mtlsHandshake\",\"mode\":\"thrpt\","
                + "\"threads\":2,\"params\":{},"
                + "\"primaryMetric\":{\"score\":190.0,\"scoreError\":5.0,\"scoreUnit\":\"ops/s\",\"rawData\":[[180.0,200.0]]},"
                + "\"secondaryMetrics\":{"
                + "\"mtlsHandshakeJdk\":{\"score\":100.0,\"scoreError\":3.0,\"scoreUnit\":\"ops/s\",\"rawData\":[[90.0,110.0]]},"
                + "\"mtlsHandshakeWimse\":{\"score\":90.0,\"scoreError\":3.0,\"scoreUnit\":\"ops/s\",\"rawData\":[[90.0,90.0]]},"
                + "\"\u00b7gc.alloc.rate\":{\"score\":12.0,\"scoreError\":1.0,\"scoreUnit\":\"MB/sec\",\"rawData\":[[12.0,12.0]]}"
                + "}}]";
        List<RatioReport.Result> results = RatioReport.parse(json);
        assertThat(results).extracting(RatioReport.Result::benchmark).containsExactly("mtlsHandshakeJdk", "mtlsHandshakeWimse");
        RatioReport.Row row = RatioReport.ratios(results).get(0);
        assertThat(row.baselineName()).isEqualTo("mtlsHandshakeJdk");
        assertThat(row.ratio()).isCloseTo(0.9, within(1e-9));
        assertThat(row.iterationRatios()).containsExactly(1.0, 90.0 / 110.0);
        assertThat(RatioReport.withoutBaseline(results)).isEmpty();
    }

    @Test
    void redisIsComparedWithTheInMemoryCacheOfTheSameRun() throws IOException {
        String json = "[" + String.join(",",
                result("inMemoryVerify", "\"workloadAlg\":\"EdDSA\"", 8000, 8000, 8000),
                result("redisVerify", "\"workloadAlg\":\"EdDSA\"", 6000, 4000, 8000)) + "]";
        List<RatioReport.Result> results = RatioReport.parse(json);
        List<RatioReport.Row> rows = RatioReport.ratios(results);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).baselineName()).isEqualTo("inMemoryVerify");
        assertThat(rows.get(0).ratio()).isCloseTo(0.75, within(1e-9));
        assertThat(rows.get(0).spreadMin()).isCloseTo(0.5, within(1e-9));
        assertThat(rows.get(0).spreadMax()).isCloseTo(1.0, within(1e-9));
        // the in-memory run is a baseline, not a row of its own
        assertThat(RatioReport.withoutBaseline(results)).isEmpty();
        assertThat(RatioReport.format(results)).contains("inMemoryVerify [workloadAlg=EdDSA]").contains("0.50..1.00");
    }

    @Test
    void resultsWithoutABaselineAreListedWithTheRangeOfTheirIterations() throws IOException {
        String json = "[" + result("firstUseAt1M", 150000, 140000, 160000) + ","
                + result("replayAt1M", 300000, 300000) + ","
                + result("redisVerify", "\"workloadAlg\":\"EdDSA\"", 6000, 6000) + "]";
        List<RatioReport.Result> results = RatioReport.parse(json);
        assertThat(RatioReport.ratios(results)).as("redisVerify without inMemoryVerify").isEmpty();
        assertThat(RatioReport.withoutBaseline(results)).extracting(RatioReport.Result::benchmark)
                .containsExactly("firstUseAt1M", "replayAt1M", "redisVerify");
        assertThat(RatioReport.format(results)).contains("Without a baseline").contains("(140000..160000)");
    }

    @Test
    void theFootprintLineIsReadBackAndShown() throws IOException {
        String out = "# WARNING: something from JOL\n"
                + "replay-cache-footprint entries=1000000 bytes=64000000 bytesPerEntry=64.0\nIn-memory ...\n";
        FootprintLine f = FootprintLine.parse(out).orElseThrow();
        assertThat(f.entries()).isEqualTo(1_000_000);
        assertThat(f.bytes()).isEqualTo(64_000_000);
        assertThat(f.bytesPerEntry()).isEqualTo(64.0);
        assertThat(ReplayCacheFootprint.line(f)).isEqualTo("replay-cache-footprint entries=1000000 bytes=64000000 bytesPerEntry=64.0");
        assertThat(FootprintLine.parse(ReplayCacheFootprint.line(new FootprintLine(3, 200)))).contains(
                new FootprintLine(3, 200));
        assertThat(FootprintLine.parse("replay-cache-footprint entries=x bytes=1")).isEmpty();
        assertThat(FootprintLine.parse("nothing here")).isEmpty();
        assertThat(RatioReport.format(RatioReport.parse(JSON), Optional.of(f)))
                .contains("64.0 bytes per live entry at 1,000,000 live entries");
    }

    @Test
    void httpsigVerifyIsComparedWithOneBareVerificationOfItsAlgorithmAndItsTargetPrinted() throws IOException {
        String json = "[" + String.join(",",
                result("bareBcVerifyEd25519", "", 10000, 9000, 11000),
                result("bareBcVerifyEs256", "", 12000, 12000, 12000),
                result("httpsigVerifyCachedWit", "\"workloadAlg\":\"EdDSA\"", 9000, 8100, 9900),
                result("httpsigVerifyCachedWit", "\"workloadAlg\":\"ES256\"", 9600, 9000, 10400)) + "]";
        List<RatioReport.Row> rows = RatioReport.ratios(RatioReport.parse(json));
        assertThat(rows).extracting(RatioReport.Row::baselineName).containsExactly("bareBcVerifyEd25519", "bareBcVerifyEs256");
        assertThat(rows.get(0).ratio()).isCloseTo(0.9, within(1e-9));
        assertThat(rows.get(1).ratio()).isCloseTo(0.8, within(1e-9));
        assertThat(rows.get(1).bestRatio()).isCloseTo(10400 / 12000.0, within(1e-9));
        String table = RatioReport.format(RatioReport.parse(json));
        assertThat(table).contains("Targets:")
                .containsPattern("httpsigVerifyCachedWit \\[workloadAlg=EdDSA\\] +ratio 0.90 \\(spread 0.90..0.90, best 0.90\\) vs target >= 0.85: met")
                .containsPattern("workloadAlg=ES256\\] +ratio 0.80 .* vs target >= 0.85: met by the best iterations only");
    }

    @Test
    void contentDigestIsComparedWithBareSha256OfTheSameBodySizeAndShownInMegabytesPerSecond() throws IOException {
        String json = "[" + String.join(",",
                result("bareSha256", "\"bodySize\":\"1024\"", 1_000_000),
                result("bareSha256", "\"bodySize\":\"65536\"", 20_000),
                result("contentDigestOf", "\"bodySize\":\"1024\"", 500_000),
                result("contentDigestVerify", "\"bodySize\":\"65536\"", 19_000)) + "]";
        List<RatioReport.Row> rows = RatioReport.ratios(RatioReport.parse(json));
        assertThat(rows).extracting(r -> r.result().label() + " / " + r.baselineName() + " " + r.baselineScore()).containsExactly(
                "contentDigestOf [bodySize=1024] / bareSha256 1000000.0", "contentDigestVerify [bodySize=65536] / bareSha256 20000.0");
        assertThat(rows.get(0).ratio()).isCloseTo(0.5, within(1e-9));
        assertThat(rows.get(1).ratio()).isCloseTo(0.95, within(1e-9));
        String table = RatioReport.format(RatioReport.parse(json));
        assertThat(table).contains("Digest throughput").containsPattern("bareSha256 \\[bodySize=65536\\] +1310.7 MB/s")
                .containsPattern("contentDigestOf \\[bodySize=1024\\] +512.0 MB/s").doesNotContain("Targets:");
    }

    @Test
    void rejectsNonJmhJson() {
        assertThatThrownBy(() -> RatioReport.parse("{}")).isInstanceOf(IOException.class);
    }
}
