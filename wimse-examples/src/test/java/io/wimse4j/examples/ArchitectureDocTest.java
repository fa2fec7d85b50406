package io.wimse4j.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/architecture.md} has a row in "where each rule is enforced" for every rule of
 * {@code docs/spec-rules.md} (and the current drafts' C2-1 and C2-5), so a new rule cannot be added
 * without saying where it is enforced. The WIC rules (no X.509 module yet) and SEC-6
 * (informational) are named in the text instead.
 */
class ArchitectureDocTest {
    private static final Path SPEC_RULES = Path.of("..", "docs", "spec-rules.md");
    private static final Path ARCHITECTURE = Path.of("..", "docs", "architecture.md");
    private static final Pattern RULE = Pattern.compile("^- ((?:ID|WIT|WPT|V|KEY|SEC|WIC)-\\d+) ");
    private static final Pattern ROW = Pattern.compile("^\\| ([A-Z0-9]+-\\d+) \\|");
    private static final Set<String> NO_ROW = Set.of("WIC-1", "WIC-2", "WIC-3", "WIC-4", "SEC-6");

    @Test
    void everyRuleHasARowSayingWhereItIsEnforced() throws IOException {
        Set<String> rules = new LinkedHashSet<>();
        for (String line : Files.readAllLines(SPEC_RULES, StandardCharsets.UTF_8)) {
            Matcher m = RULE.matcher(line);
            if (m.find()) {
                rules.add(m.group(1));
            }
        }
        assertThat(rules).as("rules read from %s", SPEC_RULES).contains("V-1", "V-14", "WIT-12", "WPT-10", "KEY-4", "SEC-5");
        rules.removeAll(NO_ROW);
        rules.add("C2-1");
        rules.add("C2-5");

        List<String> doc = Files.readAllLines(ARCHITECTURE, StandardCharsets.UTF_8);
        Set<String> rows = new LinkedHashSet<>();
        for (String line : doc) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                assertThat(rows.add(m.group(1))).as("%s has two rows in %s", m.group(1), ARCHITECTURE).isTrue();
            }
        }
        assertThat(rows).as("rule rows of %s", ARCHITECTURE).containsAll(rules);
        for (String id : NO_ROW) {
            assertThat(String.join("\n", doc)).as("%s is named in %s", id.startsWith("WIC") ? "WIC-1..WIC-4" : id, ARCHITECTURE)
                    .contains(id.startsWith("WIC") ? "WIC-1..WIC-4" : id);
        }
    }
}
