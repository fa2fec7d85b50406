package io.wimse4j.apicheck;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two lists of lines ({@code -} baseline, {@code +} current), with a few lines of
 * context around each change, for the failure message of an API baseline check. A longest common
 * subsequence after trimming the common head and tail: API dumps are a few thousand lines and a
 * change touches a few of them.
 */
final class LineDiff {
    private static final int MAX_OUTPUT_LINES = 400;
    private static final long MAX_TABLE = 16_000_000;

    private LineDiff() {
    }

    /** The diff from {@code expected} to {@code actual}; the empty string when they are equal. */
    static String unified(String expectedName, List<String> expected, String actualName, List<String> actual, int context) {
        int head = 0;
        while (head < expected.size() && head < actual.size() && expected.get(head).equals(actual.get(head))) {
            head++;
        }
        if (head == expected.size() && head == actual.size()) {
            return "";
        }
        int tail = 0;
        while (tail < expected.size() - head && tail < actual.size() - head
                && expected.get(expected.size() - 1 - tail).equals(actual.get(actual.size() - 1 - tail))) {
            tail++;
        }
        List<String> a = expected.subList(head, expected.size() - tail);
        List<String> b = actual.subList(head, actual.size() - tail);

        // ops over the middle part: ' ' kept, '-' only in expected, '+' only in actual; past
        // MAX_TABLE cells no common lines are looked for (all of a removed, all of b added)
        boolean search = (long) a.size() * b.size() <= MAX_TABLE;
        int[][] lcs = new int[search ? a.size() + 1 : 1][search ? b.size() + 1 : 1];
        for (int i = search ? a.size() - 1 : -1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Op> ops = new ArrayList<>();
        for (int k = 0; k < head; k++) {
            ops.add(new Op(' ', expected.get(k), k, k));
        }
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (!search) {
                ops.add(i < a.size() ? new Op('-', a.get(i), head + i++, head + j) : new Op('+', b.get(j), head + i, head + j++));
            } else if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                ops.add(new Op(' ', a.get(i), head + i++, head + j++));
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add(new Op('-', a.get(i), head + i++, head + j));
            } else {
                ops.add(new Op('+', b.get(j), head + i, head + j++));
            }
        }
        for (int k = 0; k < tail; k++) {
            ops.add(new Op(' ', expected.get(expected.size() - tail + k), expected.size() - tail + k, actual.size() - tail + k));
        }
        return render(expectedName, actualName, ops, context);
    }

    private record Op(char kind, String line, int expectedIndex, int actualIndex) {
    }

    private static String render(String expectedName, String actualName, List<Op> ops, int context) {
        List<String> out = new ArrayList<>();
        out.add("--- " + expectedName);
        out.add("+++ " + actualName);
        int k = 0;
        while (k < ops.size()) {
            if (ops.get(k).kind() == ' ') {
                k++;
                continue;
            }
            int start = Math.max(0, k - context);
            int end = k;
            // extend the hunk while the next change is within 2 * context kept lines
            while (end < ops.size()) {
                if (ops.get(end).kind() != ' ') {
                    end++;
                    continue;
                }
                int next = end;
                while (next < ops.size() && ops.get(next).kind() == ' ') {
                    next++;
                }
                if (next < ops.size() && next - end <= 2 * context) {
                    end = next;
                } else {
                    end = Math.min(ops.size(), end + context);
                    break;
                }
            }
            int removed = 0;
            int added = 0;
            for (Op op : ops.subList(start, end)) {
                removed += op.kind() != '+' ? 1 : 0;
                added += op.kind() != '-' ? 1 : 0;
            }
            out.add("@@ -" + (ops.get(start).expectedIndex() + 1) + "," + removed
                    + " +" + (ops.get(start).actualIndex() + 1) + "," + added + " @@");
            for (Op op : ops.subList(start, end)) {
                out.add(op.kind() + op.line());
            }
            k = end;
        }
        if (out.size() > MAX_OUTPUT_LINES) {
            int more = out.size() - MAX_OUTPUT_LINES;
            out = new ArrayList<>(out.subList(0, MAX_OUTPUT_LINES));
            out.add("... (" + more + " more diff lines)");
        }
        return String.join("\n", out);
    }
}
