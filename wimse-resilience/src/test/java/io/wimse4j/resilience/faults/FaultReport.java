package io.wimse4j.resilience.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Appends one line per fault run to {@code target/fault-report.md} (and prints it with a {@code [fault]}
 * prefix), so that the figures docs/security.md quotes come from a command: the fault suite itself.
 */
final class FaultReport {
    private static final Path FILE = Path.of("target", "fault-report.md");

    private FaultReport() {
    }

    static synchronized void line(String fault, String figures) {
        String text = "| " + Instant.now() + " | " + fault + " | " + figures + " |\n";
        System.out.print("[fault] " + text);
        try {
            Files.createDirectories(FILE.getParent());
            if (!Files.exists(FILE)) {
                Files.writeString(FILE, "# wimse4j fault report\n\n| when | fault | figures |\n|---|---|---|\n",
                        StandardCharsets.UTF_8);
            }
            Files.writeString(FILE, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The number of rounds of each fault (system property {@code wimse.faults.rounds}, default {@code dflt}). */
    static int rounds(int dflt) {
        return Integer.getInteger("wimse.faults.rounds", dflt);
    }
}
