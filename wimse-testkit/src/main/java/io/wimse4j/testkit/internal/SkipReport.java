package io.wimse4j.testkit.internal;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Says on the console which tests were skipped and why, at the end of each module's run: Maven's
 * summary only counts them, and only the XML reports hold the reasons (e.g. "npm ci --prefix
 * interop/node" for the interop tests). A skipped or aborted class counts every test it holds (its
 * parameterized and dynamic rows, unknown before they run, count as one). Registered for every module
 * whose tests use wimse-testkit, through {@code META-INF/services}; silent when nothing was skipped.
 * <strong>A test helper, never for production code.</strong>
 */
public final class SkipReport implements TestExecutionListener {
    private static final int MAX_REASON = 240;

    private final PrintStream out;
    private TestPlan plan;
    /** reason → names of what was skipped for it, with the number of tests each holds. */
    private final Map<String, List<String>> skipped = new LinkedHashMap<>();
    private long tests;

    /** The report on standard output (the JUnit Platform's ServiceLoader calls this). */
    public SkipReport() {
        this(System.out);
    }

    SkipReport(PrintStream out) {
        this.out = out;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
        skipped.clear();
        tests = 0;
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        record(id, reason == null || reason.isBlank() ? "disabled" : reason);
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            record(id, result.getThrowable().map(Throwable::getMessage).filter(m -> m != null && !m.isBlank())
                    .orElse("aborted (an assumption did not hold)"));
        }
    }

    private void record(TestIdentifier id, String reason) {
        if (id.getParentId().isEmpty()) {
            return; // an engine
        }
        long count = id.isTest() ? 1 : Math.max(1, plan == null ? 1 : plan.getDescendants(id).stream().filter(TestIdentifier::isTest).count());
        tests += count;
        String name = name(id) + (id.isContainer() ? " (" + count + (count == 1 ? " test)" : " tests)") : "");
        skipped.computeIfAbsent(oneLine(reason), r -> new ArrayList<>()).add(name);
    }

    private String name(TestIdentifier id) {
        Optional<TestIdentifier> parent = plan == null ? Optional.empty() : plan.getParent(id);
        if (id.isTest() && parent.isPresent() && parent.get().getParentId().isPresent()) {
            return parent.get().getDisplayName() + "." + id.getDisplayName();
        }
        return id.getDisplayName();
    }

    private static String oneLine(String reason) {
        String r = reason.replaceAll("\\s+", " ").strip();
        return r.length() <= MAX_REASON ? r : r.substring(0, MAX_REASON) + "…";
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (tests == 0) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("[wimse4j] ").append(tests).append(tests == 1 ? " test was" : " tests were").append(" skipped:").append(System.lineSeparator());
        skipped.forEach((reason, names) -> {
            sb.append("  ").append(String.join(", ", names)).append(System.lineSeparator());
            sb.append("    because: ").append(reason).append(System.lineSeparator());
        });
        out.print(sb);
        out.flush();
    }
}
