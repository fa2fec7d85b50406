package io.wimse4j.core.replay;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;

/** Workload identifiers for the replay tests. */
final class Ids {
    private Ids() {
    }

    /** {@code value} parsed; a test's own constant, so a parse failure is the test's bug. */
    static WorkloadIdentifier id(String value) {
        try {
            return WorkloadIdentifier.parse(value);
        } catch (WimseException e) {
            throw new AssertionError(e);
        }
    }
}
