package io.wimse4j.apicheck;

import io.wimse4j.apicheck.ThirdPartyLeaks.Leak;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The public API of every wimse4j library module, checked on every {@code mvn verify}:
 * <ul>
 *   <li>it equals the checked-in baseline {@code wimse-api-check/api/<artifactId>.api}
 *       ({@link ApiDump}), so that no API change goes unnoticed in a review;</li>
 *   <li>no third-party type ({@link ThirdPartyLeaks#THIRD_PARTY}) appears in a public signature
 *       of an exported package, except the leaks listed in {@code api/third-party-allowlist.txt},
 *       a list that can only shrink: a listed line that is no longer a leak fails too;</li>
 *   <li>each jar names its {@code Automatic-Module-Name}, and every class of a module lives in that
 *       package or below, so no package is split between two modules.</li>
 * </ul>
 * {@code -Dwimse.api.update=true} rewrites the baselines and the allowlist from the current tree
 * instead of comparing: {@value #UPDATE_HINT}.
 */
class PublicApiTest {
    static final String UPDATE_HINT =
            "run `mvn -pl wimse-api-check -am verify -Dwimse.api.update=true` to accept a deliberate API change";

    static final String ALLOWLIST_HINT = "`mvn -pl wimse-api-check -am verify -Dwimse.api.update=true` rewrites the "
            + "allowlist from the current tree: never to let a new leak in, only after a leak was removed or renamed";

    /** Every library module (artifactId) with its Automatic-Module-Name, its base package. */
    static final Map<String, String> MODULES = modules();

    /** Modules of the parent pom that are not libraries with a public API. */
    static final Set<String> NOT_LIBRARIES = Set.of("wimse-bom", "wimse-api-check", "wimse-examples", "wimse-fuzz", "wimse-resilience", "wimse-benchmarks", "wimse-spring-sample");

    private static final String ALLOWLIST = "third-party-allowlist.txt";
    private static final List<String> ALLOWLIST_HEADER = List.of(
            "# Third-party types (" + String.join(" ", ThirdPartyLeaks.THIRD_PARTY) + ")",
            "# still in public signatures of exported packages, checked by PublicApiTest.",
            "# One leak a line: <module> <class>#<member> <type>. The list can only shrink: a leak that is",
            "# not listed fails the build, and so does a listed line that is no longer a leak. Regenerate with",
            "#   mvn -pl wimse-api-check -am verify -Dwimse.api.update=true");

    private static final Map<String, ModuleClasses> LOADED = new ConcurrentHashMap<>();

    private static Map<String, String> modules() {
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("wimse-core", "io.wimse4j.core");
        modules.put("wimse-testkit", "io.wimse4j.testkit");
        modules.put("wimse-x509", "io.wimse4j.x509");
        modules.put("wimse-httpsig", "io.wimse4j.httpsig");
        modules.put("wimse-http-client", "io.wimse4j.client");
        modules.put("wimse-redis", "io.wimse4j.redis");
        modules.put("wimse-servlet", "io.wimse4j.servlet");
        modules.put("wimse-micrometer", "io.wimse4j.micrometer");
        modules.put("wimse-spring-boot-starter", "io.wimse4j.spring");
        modules.put("wimse-demo-service", "io.wimse4j.demo");
        modules.put("wimse-server", "io.wimse4j.server");
        modules.put("wimse-cli", "io.wimse4j.cli");
        return modules;
    }

    static List<String> modulesUnderTest() {
        return List.copyOf(MODULES.keySet());
    }

    static ModuleClasses classesOf(String artifactId) {
        return LOADED.computeIfAbsent(artifactId, a -> ModuleClasses.load(a, PublicApiTest.class.getClassLoader()));
    }

    @ParameterizedTest(name = "API baseline: {0}")
    @MethodSource("modulesUnderTest")
    void apiBaseline(String artifactId, TestReporter reporter) throws IOException {
        ModuleClasses module = classesOf(artifactId);
        List<String> current = ApiDump.dump(artifactId, module.apiClasses());
        Path baseline = apiDirectory().resolve(artifactId + ".api");
        if (updating()) {
            write(baseline, current);
            reporter.publishEntry("updated", baseline.toString());
            return;
        }
        if (!Files.exists(baseline)) {
            fail("no API baseline " + baseline + " for " + artifactId + ": " + UPDATE_HINT);
        }
        List<String> expected = Files.readAllLines(baseline, StandardCharsets.UTF_8);
        String diff = LineDiff.unified(baseline.getFileName() + " (baseline)", expected,
                artifactId + " (" + module.location().getFileName() + ")", current, 2);
        if (!diff.isEmpty()) {
            fail("the public API of " + artifactId + " differs from its baseline:\n" + diff + "\n\n" + UPDATE_HINT);
        }
    }

    @ParameterizedTest(name = "no third-party type in the API: {0}")
    @MethodSource("modulesUnderTest")
    void noThirdPartyTypeInPublicSignatures(String artifactId, TestReporter reporter) throws IOException {
        SortedSet<Leak> leaks = ThirdPartyLeaks.check(artifactId, classesOf(artifactId).classes());
        Path allowlist = apiDirectory().resolve(ALLOWLIST);
        if (updating()) {
            SortedSet<Leak> all = readAllowlist(allowlist);
            all.removeIf(leak -> leak.module().equals(artifactId));
            all.addAll(leaks);
            List<String> lines = new ArrayList<>(ALLOWLIST_HEADER);
            all.forEach(leak -> lines.add(leak.allowlistLine()));
            write(allowlist, lines);
            reporter.publishEntry("allowlisted third-party leaks", artifactId + ": " + leaks.size());
            return;
        }
        SortedSet<Leak> allowed = readAllowlist(allowlist).stream()
                .filter(leak -> leak.module().equals(artifactId))
                .collect(Collectors.toCollection(TreeSet::new));
        SortedSet<Leak> unexpected = new TreeSet<>(leaks);
        unexpected.removeAll(allowed);
        SortedSet<Leak> gone = new TreeSet<>(allowed);
        gone.removeAll(leaks);

        StringBuilder message = new StringBuilder();
        if (!unexpected.isEmpty()) {
            message.append(unexpected.size()).append(" third-party type(s) in public signatures of ").append(artifactId)
                    .append(" (use a wimse4j type, or move the class into an internal package):\n")
                    .append(lines(unexpected)).append('\n');
        }
        if (!gone.isEmpty()) {
            message.append(gone.size()).append(" line(s) of api/").append(ALLOWLIST).append(" for ").append(artifactId)
                    .append(" no longer a leak: remove them (the list can only shrink):\n")
                    .append(gone.stream().map(leak -> "  " + leak.allowlistLine()).collect(Collectors.joining("\n")))
                    .append('\n');
        }
        if (message.length() > 0) {
            fail(message + "\n" + ALLOWLIST_HINT);
        }
        if (!leaks.isEmpty()) {
            // allowed for now, but visible in every build
            reporter.publishEntry("allowlisted third-party leaks", artifactId + ": " + leaks.size());
            System.out.println(artifactId + ": " + leaks.size() + " allowlisted third-party leak(s) left in "
                    + "public signatures (api/" + ALLOWLIST + "):\n" + lines(leaks));
        }
    }

    @ParameterizedTest(name = "Automatic-Module-Name: {0}")
    @MethodSource("modulesUnderTest")
    void automaticModuleNameIsTheBasePackage(String artifactId) {
        ModuleClasses module = classesOf(artifactId);
        String name = MODULES.get(artifactId);
        assertThat(module.classes()).as("classes of %s", artifactId).isNotEmpty();
        assertThat(module.classes())
                .as("every class of %s is in %s or below (no split package)", artifactId, name)
                .allSatisfy(c -> assertThat(c.getPackageName()).matches(Pattern.quote(name) + "(\\..+)?"));
        Assumptions.assumeTrue(module.isJar(), () -> artifactId + " resolved to " + module.location()
                + ", not a jar: no manifest to check (run `verify`, not `test`)");
        assertThat(module.automaticModuleName()).as("Automatic-Module-Name of %s", module.location()).hasValue(name);
    }

    @Test
    void everyLibraryModuleOfTheParentPomIsChecked() throws IOException {
        Path rootPom = Path.of(System.getProperty("wimse.root.pom", "../pom.xml"));
        Matcher m = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>").matcher(Files.readString(rootPom));
        List<String> libraries = new ArrayList<>();
        while (m.find()) {
            if (!NOT_LIBRARIES.contains(m.group(1))) {
                libraries.add(m.group(1));
            }
        }
        assertThat(libraries).as("library modules of %s (add a new one to PublicApiTest.MODULES)", rootPom)
                .containsExactlyInAnyOrderElementsOf(MODULES.keySet());
    }

    @Test
    void theAllowlistNamesOnlyCheckedModules() throws IOException {
        assertThat(readAllowlist(apiDirectory().resolve(ALLOWLIST)))
                .extracting(Leak::module)
                .allSatisfy(module -> assertThat(MODULES).containsKey(module));
    }

    @Test
    void noPackageIsInTwoModules() {
        Map<String, Set<String>> modulesByPackage = new TreeMap<>();
        for (String artifactId : MODULES.keySet()) {
            for (Class<?> c : classesOf(artifactId).classes()) {
                modulesByPackage.computeIfAbsent(c.getPackageName(), p -> new TreeSet<>()).add(artifactId);
            }
        }
        assertThat(modulesByPackage).as("packages split between modules")
                .allSatisfy((pkg, modules) -> assertThat(modules).as(pkg).hasSize(1));
    }

    /** The allowlist's leaks; a missing file is an empty list. */
    static SortedSet<Leak> readAllowlist(Path file) throws IOException {
        SortedSet<Leak> leaks = new TreeSet<>();
        if (!Files.exists(file)) {
            return leaks;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                leaks.add(Leak.parse(line));
            }
        }
        return leaks;
    }

    private static String lines(Set<Leak> leaks) {
        return leaks.stream().map(leak -> "  " + leak).collect(Collectors.joining("\n"));
    }

    private static boolean updating() {
        return Boolean.getBoolean("wimse.api.update");
    }

    private static Path apiDirectory() {
        return Path.of(System.getProperty("wimse.api.dir", "api"));
    }

    private static void write(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }
}
