package io.wimse4j.resilience.faults;

/** {@link FaultReport} for fault tests that live in the packages of the modules they break. */
public final class FaultReports {
    private FaultReports() {
    }

    /** Appends one line to {@code target/fault-report.md}. */
    public static void line(String fault, String figures) {
        FaultReport.line(fault, figures);
    }
}
