package io.wimse4j.apicheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One naming style for rule IDs in test names (issue 8, item 9): a test method about one rule starts with
 * the rule ID in upper case, its dash as {@code _}, then {@code _} and a camelCase description
 * ({@code V_9_theSameNodeRequestTwiceIsAReplay}, {@code C2_5_...}, {@code ID3_2_...}). One row per module
 * directory ({@code <dir>/src/test/java}) lists every {@code @Test}, {@code @ParameterizedTest} and
 * {@code @TestFactory} method whose name carries a rule ID in another form ({@code v9...}, {@code sec4_...},
 * {@code Wit12...}, a suffix {@code ..._ID_3}) or names an ID that the specifications do not define.
 *
 * <p>The IDs come from the specification digests beside the repository ({@code ../shared/specs/README.md}
 * and {@code ../shared/specs/current/README.md}, or the directory of system property {@code wimse.specs.dir});
 * without them, from the repository's own {@code docs/spec-rules.md}. That file lists only the seed rules:
 * then IDs of the current drafts' families ({@value #CURRENT_FAMILIES_TEXT}) are accepted without a number check.
 */
class RuleNamingTest {
    /** Families of the current drafts (their IDs are defined in {@code current/README.md} only). */
    private static final Set<String> CURRENT_FAMILIES = Set.of("P2", "C2", "ALG", "ID3", "MT", "HS");
    static final String CURRENT_FAMILIES_TEXT = "P2, C2, ALG, ID3, MT, HS";
    /** Every family of either digest; ID3 before ID so that {@code id3...} prefers the longer family. */
    private static final String FAMILIES = "ID3|WIT|WPT|WIC|KEY|SEC|ALG|C2|P2|MT|HS|ID|V";

    /** The canonical form: {@code ID3_2_description}, {@code V_14_description}. */
    private static final Pattern CANONICAL = Pattern.compile("^([A-Z]+[0-9]?)_([0-9]+)(_|$)(.*)");
    /**
     * A rule ID prefix in any other case or without its separators ({@code v9}, {@code sec4_}, {@code Wit_12x}).
     * A family ending in a digit needs its {@code _} ({@code p2_5}: {@code p256} is a curve, {@code id3Trusts} ID-3),
     * and three digits are an algorithm ({@code hs256}), not a rule.
     */
    private static final Pattern OTHER_PREFIX = Pattern.compile(
            "^(?:(ID3|C2|P2)_|(WIT|WPT|WIC|KEY|SEC|ALG|MT|HS|ID|V)_?)([0-9]{1,2})(?![0-9])", Pattern.CASE_INSENSITIVE);
    /** A rule ID as a suffix: {@code ..._ID_3}, {@code ..._WIT_1_to_WIT_8}. */
    private static final Pattern SUFFIX = Pattern.compile("_(" + FAMILIES + ")_[0-9]+$");
    /** A rule's definition in a digest: a list item starting with its ID. */
    private static final Pattern DEFINITION = Pattern.compile("(?m)^- ([A-Z][A-Z0-9]*-[0-9]+) ");
    private static final Pattern TEST_ANNOTATION = Pattern.compile("@(Test|ParameterizedTest|TestFactory)\\b");

    /** The rule IDs known, and whether a family is only known by name (fallback digest). */
    record RuleIds(Set<String> ids, Set<String> familiesWithoutList, String source) {
        Optional<String> problem(String family, String number) {
            String id = family + "-" + number;
            if (ids.contains(id) || familiesWithoutList.contains(family)) {
                return Optional.empty();
            }
            return Optional.of(id + " is not a rule of " + source);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // the rows: one per module

    static Stream<String> modules() throws IOException {
        try (Stream<Path> dirs = Files.list(repoRoot())) {
            return dirs.filter(d -> Files.isDirectory(d.resolve("src/test/java")))
                    .map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "rule IDs in test names: {0}")
    @MethodSource("modules")
    void testNamesCarryRuleIdsInTheCanonicalForm(String module) throws IOException {
        RuleIds rules = ruleIds();
        List<String> problems = new ArrayList<>();
        Path testRoot = repoRoot().resolve(module).resolve("src/test/java");
        try (Stream<Path> files = Files.walk(testRoot)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                for (String method : testMethods(Files.readString(file))) {
                    check(method, rules).ifPresent(p ->
                            problems.add(testRoot.relativize(file) + ": " + method + ": " + p));
                }
            }
        }
        assertThat(problems)
                .as("test methods of %s whose name carries a rule ID in another form than RULE_N_description"
                        + " (V_9_..., SEC_4_..., C2_5_..., ID3_2_...) or names an unknown rule", module)
                .isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------
    // the checker proves itself on names of every form

    static Stream<Arguments> names() {
        return Stream.of(
                Arguments.of("canonical", "V_9_theSameNodeRequestTwiceIsAReplay", null),
                Arguments.of("canonical, two-digit number", "V_14_everyReasonHasAStableProblemType", null),
                Arguments.of("canonical, family with a digit", "C2_5_expAtExactlyExpIsExpired", null),
                Arguments.of("canonical ID3", "ID3_2_nonCanonicalIdentifiersAreRejected", null),
                Arguments.of("canonical, range", "WIT_1_to_8_joinTokenIssuesAWit", null),
                Arguments.of("no rule ID", "privateJwkRoundTripsAndSignsVerifiably", null),
                Arguments.of("an algorithm name is no rule ID", "hs256WithThePublicKeyAsSecret", null),
                Arguments.of("a curve name is no rule ID", "p256KeysAreAccepted", null),
                Arguments.of("lower case P2-5", "p2_5_jtiIs128Bits", "not canonical: write P2_5_<camelCaseDescription>"),
                Arguments.of("lower case", "v9foo", "not canonical: write V_9_<camelCaseDescription>"),
                Arguments.of("lower case with underscore", "sec4_aStoppedMasterFailsClosed", "not canonical: write SEC_4_<camelCaseDescription>"),
                Arguments.of("lower case ID-3", "id3TrustsAnIdentityServersJwks", "not canonical: write ID_3_<camelCaseDescription>"),
                Arguments.of("lower case ID3-2", "id3_2_rejectsNonCanonical", "not canonical: write ID3_2_<camelCaseDescription>"),
                Arguments.of("mixed case", "Wit12AllowedCaller", "not canonical: write WIT_12_<camelCaseDescription>"),
                Arguments.of("upper case without separator", "V_9foo", "not canonical: write V_9_<camelCaseDescription>"),
                Arguments.of("upper case, description not camelCase", "V_9_Foo", "not canonical: write V_9_<camelCaseDescription>"),
                Arguments.of("suffix", "registrationOutsideTrustDomainIsRefused_ID_3", "rule ID as a suffix: move it to the front"),
                Arguments.of("suffix range", "joinTokenIssuesWit_WIT_1_to_WIT_8", "rule ID as a suffix: move it to the front"),
                Arguments.of("unknown number", "V_99_foo", "V-99 is not a rule of the test digest"),
                Arguments.of("unknown family", "XYZ_1_foo", "XYZ-1 is not a rule of the test digest"));
    }

    @ParameterizedTest(name = "checker: {0} ({1})")
    @MethodSource("names")
    void theCheckerFlagsEveryOtherForm(String label, String name, String expected) {
        RuleIds rules = new RuleIds(Set.of("V-9", "V-14", "C2-5", "ID3-2", "WIT-1", "WIT-12", "SEC-4", "ID-3"),
                Set.of(), "the test digest");
        assertThat(check(name, rules).orElse(null)).as(name).isEqualTo(expected);
    }

    @Test
    void theScannerFindsTestMethodsOfEveryAnnotatedKind() {
        String source = String.join("\n",
                "class X {",
                "    @Test",
                "    void V_9_plain() {}",
                "    @ParameterizedTest(name = \"V-9 {0}\")",
                "    @ValueSource(strings = {",
                "            \"a\", \"b\"})",
                "    void v9parameterized(String s) {}",
                "    @TestFactory",
                "    Stream<DynamicTest> sec4factory() { return null; }",
                "    @TestInstance(PER_CLASS) void notATest() {}",
                "    // @Test",
                "    /* @Test */ @Test @DisplayName(\"x\") void V_1_onOneLine() {}",
                "    void v9helperIsNoTest() {}",
                "}");
        assertThat(testMethods(source)).containsExactly("V_9_plain", "v9parameterized", "sec4factory", "V_1_onOneLine");
    }

    @Test
    void theRuleIdsAreReadFromTheSpecificationDigests() {
        RuleIds rules = ruleIds();
        assertThat(rules.ids()).as(rules.source()).contains("ID-1", "WIT-12", "KEY-4", "WPT-10", "V-14", "SEC-6");
        if (rules.familiesWithoutList().isEmpty()) {
            assertThat(rules.ids()).as(rules.source()).contains("C2-5", "P2-7", "ALG-2", "ID3-6", "MT-7", "HS-9");
        }
    }

    // ---------------------------------------------------------------------------------------------------

    static Optional<String> check(String name, RuleIds rules) {
        Matcher canonical = CANONICAL.matcher(name);
        if (canonical.matches() && (canonical.group(3).isEmpty() || canonical.group(4).matches("[a-z0-9].*"))) {
            return rules.problem(canonical.group(1), canonical.group(2));
        }
        if (SUFFIX.matcher(name).find()) {
            return Optional.of("rule ID as a suffix: move it to the front");
        }
        Matcher other = OTHER_PREFIX.matcher(name);
        if (other.find()) {
            String family = other.group(1) != null ? other.group(1) : other.group(2);
            return Optional.of("not canonical: write " + family.toUpperCase() + "_" + other.group(3)
                + "_<camelCaseDescription>");
        }
        if (canonical.matches()) {
            return rules.problem(canonical.group(1), canonical.group(2));
        }
        return Optional.empty();
    }

    /** The names of the methods annotated {@code @Test}, {@code @ParameterizedTest} or {@code @TestFactory}. */
    static List<String> testMethods(String javaSource) {
        String source = withoutCommentsAndLiterals(javaSource);
        List<String> names = new ArrayList<>();
        Matcher annotation = TEST_ANNOTATION.matcher(source);
        int at = 0;
        while (annotation.find(at)) {
            at = annotation.end();
            // skip this annotation's arguments and any further annotations, up to the declaration
            while (true) {
                at = skipSpace(source, at);
                if (at < source.length() && source.charAt(at) == '(') {
                    at = skipParentheses(source, at);
                } else if (at < source.length() && source.charAt(at) == '@') {
                    at++;
                    while (at < source.length()
                            && (Character.isJavaIdentifierPart(source.charAt(at)) || source.charAt(at) == '.')) {
                        at++;
                    }
                } else {
                    break;
                }
            }
            int paren = source.indexOf('(', at);
            if (paren < 0) {
                break;
            }
            Matcher name = LAST_IDENTIFIER.matcher(source.substring(at, paren));
            if (name.find()) {
                names.add(name.group(1));
            }
            at = paren;
        }
        return names;
    }

    private static final Pattern LAST_IDENTIFIER = Pattern.compile("([A-Za-z_$][A-Za-z0-9_$]*)\\s*$");
    /** Comments, text blocks, string and character literals (an {@code @Test} in them is none). */
    private static final Pattern NOT_CODE = Pattern.compile(
            "\"\"\"[\\s\\S]*?\"\"\"|\"(?:\\\\.|[^\"\\\\\n])*\"|'(?:\\\\.|[^'\\\\\n])*'|/\\*[\\s\\S]*?\\*/|//[^\n]*");

    private static String withoutCommentsAndLiterals(String source) {
        Matcher m = NOT_CODE.matcher(source);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String kept = m.group().startsWith("\"") || m.group().startsWith("'") ? "\"\"" : " ";
            m.appendReplacement(out, Matcher.quoteReplacement(kept + "\n".repeat((int) m.group().chars().filter(c -> c == '\n').count())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static int skipSpace(String s, int at) {
        while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
            at++;
        }
        return at;
    }

    private static int skipParentheses(String s, int at) {
        int depth = 0;
        for (; at < s.length(); at++) {
            char c = s.charAt(at);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return at + 1;
            }
        }
        return at;
    }

    static RuleIds ruleIds() {
        Path root = repoRoot();
        Path specs = Path.of(System.getProperty("wimse.specs.dir",
                root.toAbsolutePath().getParent().resolve("shared/specs").toString()));
        Path seed = specs.resolve("README.md");
        Path current = specs.resolve("current/README.md");
        if (Files.isRegularFile(seed) && Files.isRegularFile(current)) {
            Set<String> ids = new TreeSet<>(definitions(seed));
            ids.addAll(definitions(current));
            return new RuleIds(ids, Set.of(), seed + " and " + current);
        }
        Path fallback = root.resolve("docs/spec-rules.md");
        assertThat(fallback).as("without %s and %s, the rule IDs come from", seed, current).isRegularFile();
        Set<String> ids = definitions(fallback);
        Set<String> listed = new TreeSet<>();
        ids.forEach(id -> listed.add(id.substring(0, id.lastIndexOf('-'))));
        Set<String> unlisted = new TreeSet<>(CURRENT_FAMILIES);
        unlisted.removeAll(listed);
        return new RuleIds(ids, unlisted, fallback.toString());
    }

    private static Set<String> definitions(Path digest) {
        try {
            Set<String> ids = new TreeSet<>();
            Matcher m = DEFINITION.matcher(Files.readString(digest));
            while (m.find()) {
                ids.add(m.group(1));
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory of the parent {@code pom.xml}, the one that lists {@code wimse-core} as a module. */
    static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            try {
                if (Files.isRegularFile(pom) && Files.readString(pom).contains("<module>wimse-core</module>")) {
                    return dir;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no parent pom.xml with <module>wimse-core</module> above "
                + Path.of("").toAbsolutePath());
    }
}
