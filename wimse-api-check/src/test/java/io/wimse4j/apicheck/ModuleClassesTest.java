package io.wimse4j.apicheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How {@link ModuleClasses} finds a module on the class path and which packages it exports. */
class ModuleClassesTest {

    @Test
    void aModuleIsItsJarOrItsTargetClassesButNeverATestJarOrAnotherModule(@TempDir Path dir) throws IOException {
        Path classes = Files.createDirectories(dir.resolve("wimse-core/target/classes"));
        Path testClasses = Files.createDirectories(dir.resolve("wimse-core/target/test-classes"));
        Path testJar = Files.createFile(dir.resolve("wimse-core-0.1.0-SNAPSHOT-tests.jar"));
        Path other = Files.createFile(dir.resolve("wimse-core-extras.jar"));
        Path jar = Files.createFile(dir.resolve("wimse-core-0.1.0-SNAPSHOT.jar"));
        Path cli = Files.createFile(dir.resolve("wimse-cli.jar"));
        String path = String.join(File.pathSeparator, testClasses.toString(), testJar.toString(),
                other.toString(), cli.toString());

        assertThat(ModuleClasses.locate("wimse-core", path + File.pathSeparator + classes)).isEqualTo(classes);
        assertThat(ModuleClasses.locate("wimse-core", path + File.pathSeparator + jar)).isEqualTo(jar);
        assertThat(ModuleClasses.locate("wimse-cli", path)).isEqualTo(cli);
        assertThatThrownBy(() -> ModuleClasses.locate("wimse-core", path))
                .hasMessageContaining("expected exactly one class path entry for wimse-core");
        assertThatThrownBy(() -> ModuleClasses.locate("wimse-core", String.join(File.pathSeparator, jar.toString(), classes.toString())))
                .hasMessageContaining("found [");
    }

    @Test
    void everyPackageWithoutAnInternalSegmentIsExported() {
        assertThat(ModuleClasses.isExportedPackage("io.wimse4j.core")).isTrue();
        assertThat(ModuleClasses.isExportedPackage("io.wimse4j.core.internalized")).isTrue();
        assertThat(ModuleClasses.isExportedPackage("io.wimse4j.core.internal")).isFalse();
        assertThat(ModuleClasses.isExportedPackage("io.wimse4j.server.internal.state")).isFalse();
    }
}
