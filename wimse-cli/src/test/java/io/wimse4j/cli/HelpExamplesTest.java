package io.wimse4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walkthrough at the end of {@code wimse --help} pastes and runs: each of its commands, read from the
 * help text itself, is run in order in an empty directory, with the shell's {@code VAR=$(...)} and
 * {@code "$VAR"} done here. The {@code curl} line cannot reach {@code svc-b.example.org}, so the request it
 * would send is written as the raw HTTP/1.1 text the footer's {@code wimse verify} line reads, and that
 * line must accept it.
 */
class HelpExamplesTest {
    @TempDir
    Path dir;

    /** The footer's command lines, continuation lines joined. */
    static List<String> footerCommands(String help) {
        String footer = help.substring(help.indexOf("Sign a request by hand"));
        List<String> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : footer.split("\\R")) {
            String l = line.strip();
            if (current.length() == 0 && !(l.startsWith("wimse ") || l.matches("[A-Z]+=.*") || l.startsWith("curl "))) {
                continue;
            }
            if (l.endsWith("\\")) {
                current.append(l, 0, l.length() - 1).append(' ');
            } else {
                commands.add(current.append(l).toString().strip());
                current.setLength(0);
            }
        }
        return commands;
    }

    /** Shell words: double quotes group, {@code $NAME} inside or outside them is replaced from {@code vars}. */
    static List<String> words(String line, Map<String, String> vars) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (c == '$' && i + 1 < line.length() && Character.isLetter(line.charAt(i + 1))) {
                int end = i + 1;
                while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')) {
                    end++;
                }
                String name = line.substring(i + 1, end);
                assertThat(vars).as("$%s is set before it is used", name).containsKey(name);
                w.append(vars.get(name));
                any = true;
                i = end - 1;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    words.add(w.toString());
                    w.setLength(0);
                    any = false;
                }
            } else {
                w.append(c);
                any = true;
            }
        }
        assertThat(quoted).as("balanced quotes in: %s", line).isFalse();
        if (any) {
            words.add(w.toString());
        }
        return words;
    }

    /** Runs {@code wimse <words after 'wimse'>} in {@link #dir}, paths taken relative to it. */
    Cli.Result wimse(List<String> words) {
        assertThat(words.get(0)).isEqualTo("wimse");
        List<String> args = new ArrayList<>();
        for (String a : words.subList(1, words.size())) {
            if (a.matches("[a-z.]+=[a-z.]+\\.jwk")) { // --trust <trust-domain>=<file>
                args.add(a.substring(0, a.indexOf('=') + 1) + dir.resolve(a.substring(a.indexOf('=') + 1)));
            } else {
                args.add(a.endsWith(".jwk") || a.endsWith(".http") ? dir.resolve(a).toString() : a);
            }
        }
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void everyLineOfTheHelpFitsItsWidthSoAPasteKeepsItsContinuations() {
        // picocli wraps a line longer than the usage width: a wrapped '\\' alone on a line breaks the paste
        for (String line : Cli.run("--help").out().split("\\R")) {
            assertThat(line.strip()).as("a wrapped line").isNotEqualTo("\\");
        }
    }

    @Test
    void theHelpWalkthroughPastesAndRuns() throws Exception {
        List<String> commands = footerCommands(Cli.run("--help").out());
        assertThat(commands).as("the footer's commands").hasSizeGreaterThanOrEqualTo(7);
        Map<String, String> vars = new HashMap<>();
        boolean verified = false;
        for (String command : commands) {
            if (command.matches("[A-Z]+=\\$\\(wimse .*\\)")) {
                String name = command.substring(0, command.indexOf('='));
                Cli.Result r = wimse(words(command.substring(command.indexOf("$(") + 2, command.length() - 1), vars));
                assertThat(r.exit()).as("%s: %s", command, r.err()).isZero();
                vars.put(name, r.out().strip());
            } else if (command.matches("[A-Z]+=\\S+")) {
                vars.put(command.substring(0, command.indexOf('=')), command.substring(command.indexOf('=') + 1));
            } else if (command.startsWith("curl ")) {
                List<String> w = words(command, vars);
                java.net.URI url = java.net.URI.create(w.get(w.size() - 1));
                StringBuilder request = new StringBuilder("GET " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\n");
                for (int i = 1; i < w.size() - 1; i += 2) {
                    assertThat(w.get(i)).isEqualTo("-H");
                    request.append(w.get(i + 1)).append("\r\n");
                }
                Files.writeString(dir.resolve("request.http"), request.append("\r\n").toString());
            } else {
                Cli.Result r = wimse(words(command, vars));
                assertThat(r.exit()).as("%s: %s", command, r.err()).isZero();
                if (command.startsWith("wimse verify")) {
                    assertThat(r.out()).contains("wimse://example.org/svc-a");
                    verified = true;
                }
            }
        }
        assertThat(verified).as("the walkthrough ends with a verified request").isTrue();
    }
}
