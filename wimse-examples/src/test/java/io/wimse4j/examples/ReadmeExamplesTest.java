package io.wimse4j.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The README's {@code java} blocks are the tagged regions of this module's sources. Each block is
 * preceded by {@code <!-- example: <tag> -->}; the source region between {@code // tag::<tag>[]}
 * and {@code // end::<tag>[]}, with its common indentation stripped, must equal the block line for
 * line. One row per README block, named after its tag; changing either side alone fails the build.
 */
class ReadmeExamplesTest {
    static final Path README = Path.of("..", "README.md");
    static final Path SOURCES = Path.of("src", "main", "java", "io", "wimse4j", "examples");

    private static final Pattern MARKER = Pattern.compile("^<!--\\s*example:\\s*([A-Za-z0-9_-]+)\\s*-->\\s*$");
    private static final Pattern ANY_MARKER = Pattern.compile("^\\s*<!--\\s*example:.*$");
    private static final Pattern TAG = Pattern.compile("^\\s*// tag::([A-Za-z0-9_-]+)\\[]\\s*$");
    private static final Pattern END = Pattern.compile("^\\s*// end::([A-Za-z0-9_-]+)\\[]\\s*$");

    /** One fenced {@code java} block of the README: its marker's tag (or null), first content line and text. */
    record ReadmeBlock(String tag, int line, String text) {
        String name() {
            return tag != null ? tag : "README line " + line + " (no example marker)";
        }
    }

    /** One tagged region of a source file. */
    record Region(String tag, Path file, int line, String text) {
    }

    static Stream<Arguments> readmeBlocks() {
        return javaBlocks(lines(README)).stream().map(b -> Arguments.of(b.name(), b));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readmeBlocks")
    void readmeBlockIsTheTaggedRegionOfItsSource(String name, ReadmeBlock block) {
        if (block.tag() == null) {
            fail("the java block at README.md line %d has no <!-- example: <tag> --> marker on the line(s) before it;"
                    + " add one naming the tagged region of wimse-examples it shows:%n%s", block.line(), block.text());
        }
        Map<String, Region> regions = regions();
        Region region = regions.get(block.tag());
        if (region == null) {
            fail("README.md line %d: marker 'example: %s' names no region // tag::%s[] in %s (tags there: %s)",
                    block.line(), block.tag(), block.tag(), SOURCES, regions.keySet());
        }
        if (!block.text().equals(region.text())) {
            fail("README.md line %d and %s line %d differ for tag '%s' (first difference at line %d of the example)"
                            + "%n--- README.md:%n%s%n--- %s:%n%s%n---",
                    block.line(), region.file(), region.line(), block.tag(), firstDifference(block.text(), region.text()),
                    block.text(), region.file().getFileName(), region.text());
        }
    }

    /** Every tagged region is shown in the README, exactly once; no tag is shown twice. */
    @Test
    void everyTaggedRegionIsShownInTheReadmeExactlyOnce() {
        Map<String, Long> shown = javaBlocks(lines(README)).stream().filter(b -> b.tag() != null)
                .collect(Collectors.groupingBy(ReadmeBlock::tag, LinkedHashMap::new, Collectors.counting()));
        assertThat(regions().keySet()).as("tagged regions of %s", SOURCES).isNotEmpty();
        for (String tag : regions().keySet()) {
            assertThat(shown.getOrDefault(tag, 0L)).as("README java blocks marked 'example: %s'", tag).isEqualTo(1L);
        }
        shown.forEach((tag, n) -> assertThat(n).as("README java blocks marked 'example: %s'", tag).isEqualTo(1L));
    }

    /** A marker must stand right before a java block (blank lines allowed between), never alone. */
    @Test
    void everyMarkerIsFollowedByAJavaBlock() {
        List<String> readme = lines(README);
        for (int i = 0; i < readme.size(); i++) {
            if (!ANY_MARKER.matcher(readme.get(i)).matches()) {
                continue;
            }
            assertThat(readme.get(i)).as("README.md line %d: a marker reads <!-- example: <tag> -->", i + 1).matches(MARKER);
            int next = i + 1;
            while (next < readme.size() && readme.get(next).isBlank()) {
                next++;
            }
            assertThat(next < readme.size() && readme.get(next).strip().equals("```java"))
                    .as("README.md line %d: the marker %s is not followed by a ```java block", i + 1, readme.get(i).strip())
                    .isTrue();
        }
    }

    /** The parser itself: markers, blank lines before a fence, other languages and unmarked blocks. */
    @Test
    void theReadmeParserFindsMarkedAndUnmarkedJavaBlocksOnly() {
        List<String> text = List.of(
                "intro", "<!-- example: one -->", "```java", "int a = 1;", "", "  int b;", "```",
                "```sh", "echo not java", "```",
                "<!-- example: two -->", "", "```java", "two();", "```",
                "```java", "unmarked();", "```");
        List<ReadmeBlock> blocks = javaBlocks(text);
        assertThat(blocks).containsExactly(
                new ReadmeBlock("one", 4, "int a = 1;\n\n  int b;"),
                new ReadmeBlock("two", 14, "two();"),
                new ReadmeBlock(null, 17, "unmarked();"));
        assertThat(dedent(List.of("        a(", "", "            b);", "        "))).isEqualTo("a(\n\n    b);\n");
    }

    // --- README side -------------------------------------------------------------------------

    static List<ReadmeBlock> javaBlocks(List<String> readme) {
        List<ReadmeBlock> blocks = new ArrayList<>();
        String pendingTag = null;
        for (int i = 0; i < readme.size(); i++) {
            String line = readme.get(i);
            Matcher marker = MARKER.matcher(line.strip());
            if (marker.matches()) {
                pendingTag = marker.group(1);
                continue;
            }
            if (line.strip().startsWith("```")) {
                boolean java = line.strip().equals("```java");
                int start = i + 1;
                int end = start;
                while (end < readme.size() && !readme.get(end).strip().equals("```")) {
                    end++;
                }
                if (end == readme.size()) {
                    fail("README.md line %d: the code block is never closed", i + 1);
                }
                if (java) {
                    blocks.add(new ReadmeBlock(pendingTag, start + 1, String.join("\n", readme.subList(start, end))));
                }
                pendingTag = null;
                i = end;
                continue;
            }
            if (!line.isBlank()) {
                pendingTag = null; // a marker applies only to the block right after it
            }
        }
        return blocks;
    }

    // --- source side -------------------------------------------------------------------------

    static Map<String, Region> regions() {
        Map<String, Region> regions = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(SOURCES)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path file : files) {
            List<String> src = lines(file);
            for (int i = 0; i < src.size(); i++) {
                Matcher tag = TAG.matcher(src.get(i));
                if (!tag.matches()) {
                    assertThat(END.matcher(src.get(i)).matches()).as("%s line %d: an end:: without its tag::", file, i + 1).isFalse();
                    continue;
                }
                String name = tag.group(1);
                int end = i + 1;
                while (end < src.size() && !END.matcher(src.get(end)).matches()) {
                    assertThat(TAG.matcher(src.get(end)).matches()).as("%s line %d: tag::%s[] opens inside tag::%s[]",
                            file, end + 1, src.get(end).strip(), name).isFalse();
                    end++;
                }
                assertThat(end).as("%s line %d: tag::%s[] has no end::%s[]", file, i + 1, name, name).isLessThan(src.size());
                Matcher endTag = END.matcher(src.get(end));
                assertThat(endTag.matches() && endTag.group(1).equals(name))
                        .as("%s line %d: tag::%s[] is closed by %s", file, end + 1, name, src.get(end).strip()).isTrue();
                Region previous = regions.put(name, new Region(name, file, i + 2, dedent(src.subList(i + 1, end))));
                assertThat(previous).as("tag '%s' appears twice (%s and %s)", name, previous == null ? null : previous.file(), file)
                        .isNull();
                i = end;
            }
        }
        return regions;
    }

    /** The lines joined with {@code \n}, with the indentation common to the non-blank lines removed (blank lines become empty). */
    static String dedent(List<String> lines) {
        int common = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(common)).collect(Collectors.joining("\n"));
    }

    private static int firstDifference(String a, String b) {
        String[] x = a.split("\n", -1);
        String[] y = b.split("\n", -1);
        int n = Math.min(x.length, y.length);
        for (int i = 0; i < n; i++) {
            if (!x[i].equals(y[i])) {
                return i + 1;
            }
        }
        return n + 1;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }
}
