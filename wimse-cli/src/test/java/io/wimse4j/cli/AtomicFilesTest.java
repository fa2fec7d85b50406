package io.wimse4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link AtomicFiles}: owner-only at creation, replaces in one step, leaves no temporary file behind. */
class AtomicFilesTest {
    @TempDir
    Path tmp;

    @Test
    void KEY_1_aReplacedFileIsOwnerOnlyEvenWhenTheOldOneWasNot() throws Exception {
        Path f = tmp.resolve("sub/key.jwk");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "old");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        AtomicFiles.write(f, "new".getBytes());
        assertThat(Files.readString(f)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        try (var listing = Files.list(f.getParent())) {
            assertThat(listing.toList()).containsExactly(f);
        }
    }

    @Test
    void aFailedReplacementLeavesTheTargetAndNoTemporaryFile() throws Exception {
        Path target = tmp.resolve("wit.jwt");
        Files.createDirectories(target.resolve("in-the-way"));
        assertThatThrownBy(() -> AtomicFiles.write(target, "x".getBytes())).isInstanceOf(IOException.class);
        assertThat(Files.isDirectory(target.resolve("in-the-way"))).isTrue();
        try (var listing = Files.list(tmp)) {
            assertThat(listing.toList()).containsExactly(target);
        }
    }
}
