package io.wimse4j.testkit.internal;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** The console report of skipped tests: each reason once, class-level skips counted with all their tests. */
class SkipReportTest {
    /** A class skipped as a whole by an assumption in {@code @BeforeAll}: its three tests count. */
    static class WithoutRedis {
        @BeforeAll
        static void needsRedis() {
            Assumptions.abort("redis-server was not found on the PATH: apt-get install redis-server");
        }

        @Test
        void one() {
        }

        @Test
        void two() {
        }

        @Test
        void three() {
        }
    }

    /** One test skipped by {@code @Disabled}, one aborted inside, one that runs. */
    static class Mixed {
        @Test
        @Disabled("waits for the -08 draft")
        void disabled() {
        }

        @Test
        void aborted() {
            Assumptions.abort("node is missing: npm ci --prefix interop/node");
        }

        @Test
        void runs() {
        }
    }

    /** Nothing skipped. */
    static class AllRun {
        @Test
        void runs() {
        }
    }

    static String report(Class<?>... classes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // only the report under test: no listener found through ServiceLoader (another SkipReport) prints
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build());
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        for (Class<?> c : classes) {
            request.selectors(selectClass(c));
        }
        launcher.execute(request.build(), new SkipReport(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aClassSkippedInBeforeAllCountsEveryTestItHoldsAndSaysWhy() {
        String r = report(WithoutRedis.class);
        assertThat(r).startsWith("[wimse4j] 3 tests were skipped:")
                .contains("WithoutRedis (3 tests)")
                .contains("because: redis-server was not found on the PATH: apt-get install redis-server");
    }

    @Test
    void disabledAndAbortedTestsAreListedWithTheirOwnReasons() {
        String r = report(Mixed.class, WithoutRedis.class);
        assertThat(r).startsWith("[wimse4j] 5 tests were skipped:")
                .contains("Mixed.disabled()").contains("because: waits for the -08 draft")
                .contains("Mixed.aborted()").contains("because: node is missing: npm ci --prefix interop/node")
                .doesNotContain("runs()");
    }

    @Test
    void nothingIsPrintedWhenNothingWasSkipped() {
        assertThat(report(AllRun.class)).isEmpty();
    }
}
