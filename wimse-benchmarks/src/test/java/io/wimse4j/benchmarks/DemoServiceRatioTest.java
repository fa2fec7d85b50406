package io.wimse4j.benchmarks;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@link RatioReport} on the demo-service load benchmark: with the filter / without it, same run. */
class DemoServiceRatioTest {
    private static String result(String method, double score, double best) {
        return "{\"benchmark\":\"io.wimse4j.benchmarks.DemoServiceLoadBenchmark." + method + "\",\"params\":{},"
                + "\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":1.5,\"scoreUnit\":\"ops/s\",\"rawData\":[[" + best + "," + (score - 1) + "]]}}";
    }

    @Test
    void withFilterIsDividedByNoFilter() throws IOException {
        List<RatioReport.Result> results = RatioReport.parse("[" + result("demoServiceWithFilter", 3000, 3300) + ","
                + result("demoServiceNoFilter", 6000, 6600) + "]");
        List<RatioReport.Row> rows = RatioReport.ratios(results);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).result().benchmark()).isEqualTo("demoServiceWithFilter");
        assertThat(rows.get(0).baselineName()).isEqualTo("demoServiceNoFilter");
        assertThat(rows.get(0).ratio()).isCloseTo(0.5, within(1e-9));
        assertThat(rows.get(0).bestRatio()).isCloseTo(0.5, within(1e-9));
        String table = RatioReport.format(results);
        assertThat(table).contains("demoServiceNoFilter").contains("0.50");
    }

    @Test
    void withoutTheBaselineThereIsNoRow() throws IOException {
        assertThat(RatioReport.ratios(RatioReport.parse("[" + result("demoServiceWithFilter", 3000, 3300) + "]"))).isEmpty();
    }
}
