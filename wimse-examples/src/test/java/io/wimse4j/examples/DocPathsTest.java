package io.wimse4j.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every repository path the README and {@code docs/*.md} name exists: relative Markdown links, and code
 * spans that start with a top-level directory of the repository ({@code docs/…}, {@code wimse-core/…},
 * {@code benchmarks/run}, …). Spans with placeholders ({@code <…>}, {@code {…}}, {@code *}, {@code $}), elisions
 * ({@code ...}), test-class references ({@code wimse-x509/.../WicValidatorRulesTest}) and build output
 * ({@code target/}) and paths outside the repository ({@code ../shared/...}, present only in some workspaces)
 * are not paths to check.
 */
class DocPathsTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    static final Pattern SPAN = Pattern.compile("`([^`\\s]+)`");

    static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CHANGELOG.md")));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        for (String module : new String[] {"wimse-testkit"}) {
            Path readme = ROOT.resolve(module).resolve("README.md");
            if (Files.exists(readme)) {
                docs.add(readme);
            }
        }
        return docs;
    }

    static boolean topLevel(String first) {
        return Files.isDirectory(ROOT.resolve(first)) && !first.startsWith(".git") && !first.equals("target");
    }

    static boolean checkable(String path) {
        return !path.isEmpty() && !path.matches(".*[<>{}*$|].*") && !path.contains("/target/") && !path.startsWith("target/")
                && !path.contains("...") && !path.matches(".*/[A-Z][A-Za-z0-9_.]*$"); // "module/.../SomeTest": a class, not a file
    }

    @Test
    void everyPathTheDocsNameExists() throws IOException {
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Path doc : documents()) {
            String text = Files.readString(doc, StandardCharsets.UTF_8);
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String target = link.group(1).replaceAll("#.*$", "");
                if (target.isEmpty() || target.matches("^[a-z]+:.*") || !checkable(target)) {
                    continue;
                }
                Path resolved = doc.getParent().resolve(target).normalize();
                if (!resolved.startsWith(ROOT)) {
                    continue; // outside the repository (e.g. the workspace's shared specs): not ours to check
                }
                checked++;
                if (!Files.exists(resolved)) {
                    missing.add(ROOT.relativize(doc) + ": link " + link.group(1));
                }
            }
            Matcher span = SPAN.matcher(text);
            while (span.find()) {
                String path = span.group(1).replaceAll("[.,:;)]+$", "").replaceAll("#.*$", "");
                int slash = path.indexOf('/');
                if (slash <= 0 || !checkable(path) || path.startsWith("/") || path.startsWith("../") || path.startsWith("./")
                        || !topLevel(path.substring(0, slash))) {
                    continue;
                }
                checked++;
                if (!Files.exists(ROOT.resolve(path))) {
                    missing.add(ROOT.relativize(doc) + ": `" + span.group(1) + "`");
                }
            }
        }
        assertThat(checked).as("paths found in the docs").isGreaterThan(50);
        assertThat(missing).as("paths named in the docs that do not exist").isEmpty();
    }
}
