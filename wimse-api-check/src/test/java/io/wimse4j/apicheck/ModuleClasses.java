package io.wimse4j.apicheck;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The classes of one wimse4j module, found on the test class path by the module's artifactId: its
 * main jar ({@code wimse-core-0.1.0-SNAPSHOT.jar}, {@code wimse-cli.jar}) or, when Maven resolved the
 * reactor module before packaging it, its {@code <artifactId>/target/classes} directory. Test jars
 * and test-classes directories never count.
 *
 * <p>The public API of a module is the set of {@linkplain #isApiClass API classes} in its
 * {@linkplain #isExportedPackage exported packages}: every package whose name has no
 * {@code internal} segment.
 *
 * @param artifactId the Maven artifactId, e.g. {@code wimse-core}
 * @param location   the jar or classes directory the classes were read from
 * @param classes    every class of the module (API or not), sorted by name, loaded without
 *                   initialization
 */
public record ModuleClasses(String artifactId, Path location, List<Class<?>> classes) {

    /**
     * Finds {@code artifactId} on {@code java.class.path} and loads all of its classes through
     * {@code loader}. Fails unless exactly one class path entry belongs to the module.
     */
    public static ModuleClasses load(String artifactId, ClassLoader loader) {
        Path location = locate(artifactId, System.getProperty("java.class.path", ""));
        List<Class<?>> classes = new ArrayList<>();
        for (String name : classNames(location)) {
            try {
                classes.add(Class.forName(name, false, loader));
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("cannot load " + name + " of " + artifactId
                        + " from " + location + " (a dependency missing from wimse-api-check's pom?)", e);
            }
        }
        classes.sort(Comparator.comparing(Class::getName));
        return new ModuleClasses(artifactId, location, List.copyOf(classes));
    }

    /** The single entry of {@code classPath} holding the main classes of {@code artifactId}. */
    static Path locate(String artifactId, String classPath) {
        Pattern jar = Pattern.compile(Pattern.quote(artifactId) + "(-\\d.*)?\\.jar");
        Path classesSuffix = Path.of(artifactId, "target", "classes");
        List<Path> matches = Arrays.stream(classPath.split(Pattern.quote(File.pathSeparator)))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry).toAbsolutePath().normalize())
                .filter(path -> {
                    String file = path.getFileName() == null ? "" : path.getFileName().toString();
                    if (Files.isDirectory(path)) {
                        return path.endsWith(classesSuffix);
                    }
                    return jar.matcher(file).matches() && !file.endsWith("-tests.jar");
                })
                .distinct()
                .toList();
        if (matches.size() != 1) {
            throw new IllegalStateException("expected exactly one class path entry for " + artifactId
                    + " (its jar or target/classes), found " + matches + " in " + classPath);
        }
        return matches.get(0);
    }

    /** The binary names of all classes in a jar or classes directory, without module-info and package-info. */
    static List<String> classNames(Path location) {
        List<String> names = new ArrayList<>();
        try {
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.walk(location)) {
                    files.filter(f -> f.toString().endsWith(".class"))
                            .map(f -> location.relativize(f).toString().replace(File.separatorChar, '/'))
                            .forEach(entry -> addClassName(entry, names));
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    jar.stream().map(JarEntry::getName).forEach(entry -> addClassName(entry, names));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + location, e);
        }
        names.sort(null);
        return names;
    }

    private static void addClassName(String entry, List<String> names) {
        if (!entry.endsWith(".class") || entry.startsWith("META-INF/")
                || entry.endsWith("module-info.class") || entry.endsWith("package-info.class")) {
            return;
        }
        names.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
    }

    /** The {@code Automatic-Module-Name} of the module's jar; empty for a classes directory or no entry. */
    public Optional<String> automaticModuleName() {
        if (Files.isDirectory(location)) {
            return Optional.empty();
        }
        try (JarFile jar = new JarFile(location.toFile())) {
            Manifest manifest = jar.getManifest();
            return manifest == null ? Optional.empty()
                    : Optional.ofNullable(manifest.getMainAttributes().getValue("Automatic-Module-Name"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + location, e);
        }
    }

    /** Whether the module's classes came from a packaged jar (so it has a manifest). */
    public boolean isJar() {
        return !Files.isDirectory(location);
    }

    /** The API classes of the module's exported packages, sorted by name. */
    public List<Class<?>> apiClasses() {
        return apiClasses(classes);
    }

    /** The API classes of exported packages among {@code candidates}, sorted by name. */
    public static List<Class<?>> apiClasses(List<Class<?>> candidates) {
        return candidates.stream()
                .filter(c -> isExportedPackage(c.getPackageName()) && isApiClass(c))
                .sorted(Comparator.comparing(Class::getName))
                .toList();
    }

    /** An exported package is one with no {@code internal} segment in its name. */
    public static boolean isExportedPackage(String packageName) {
        return Arrays.stream(packageName.split("\\.")).noneMatch("internal"::equals);
    }

    /**
     * Whether code outside the package can name {@code c}: a public top-level class, or a public or
     * protected member class of an API class. Anonymous, local and synthetic classes never are.
     */
    public static boolean isApiClass(Class<?> c) {
        if (c.isSynthetic() || c.isAnonymousClass() || c.isLocalClass()) {
            return false;
        }
        int modifiers = c.getModifiers();
        Class<?> enclosing = c.getDeclaringClass();
        if (enclosing == null) {
            return Modifier.isPublic(modifiers);
        }
        return (Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers)) && isApiClass(enclosing);
    }
}
