package io.wimse4j.cli;

import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code wimse keygen}: generates a key pair, writes the private JWK to a file created with
 * owner-only permissions (KEY-1) and prints the public JWK (with {@code alg} and {@code kid}).
 */
@Command(name = "keygen", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate a key pair. The private JWK goes to a new file readable only by its owner (rw-------);",
                "the public JWK (with 'alg' and 'kid') is printed or written to --public-out."})
final class KeygenCommand implements Callable<Integer> {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--alg", required = true, paramLabel = "<alg>",
            description = "Algorithm: ${COMPLETION-CANDIDATES}.")
    private JwsAlgorithm alg;

    @Option(names = "--out", required = true, paramLabel = "<file>", description = "Where to write the private JWK.")
    private Path out;

    @Option(names = "--public-out", paramLabel = "<file>", description = "Write the public JWK here instead of standard output.")
    private Path publicOut;

    @Option(names = "--force", description = "Replace existing files.")
    private boolean force;

    @Override
    public Integer call() {
        if (publicOut != null && publicOut.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw CliException.usage("--out and --public-out must be different files");
        }
        if (!force) {
            refuseExisting(out);
            if (publicOut != null) {
                refuseExisting(publicOut);
            }
        }
        WorkloadKeyPair key = WorkloadKeyPair.generate(alg);
        writePrivate(out, key.privateJwkJson());
        String pub = key.publicJwk().toJson();
        if (publicOut != null) {
            writePublic(publicOut, pub);
            spec.commandLine().getErr().println("wrote private key to " + out + " and public key to " + publicOut
                    + " (kid " + key.keyId() + ")");
            spec.commandLine().getErr().flush();
        } else {
            spec.commandLine().getOut().println(pub);
            spec.commandLine().getOut().flush();
        }
        return WimseCli.OK;
    }

    private static void refuseExisting(Path p) {
        if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw CliException.usage("'" + p + "' already exists; use --force to replace it");
        }
    }

    /** Creates {@code path} owner-only from the start, so the key is never readable by others. */
    private void writePrivate(Path path, String json) {
        try {
            if (force) {
                Files.deleteIfExists(path);
            }
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(path);
                java.io.File f = path.toFile();
                boolean ok = f.setReadable(false, false) & f.setReadable(true, true)
                        & f.setWritable(false, false) & f.setWritable(true, true);
                if (!ok) {
                    Files.delete(path);
                    throw CliException.usage("cannot restrict the permissions of '" + path + "'");
                }
            }
            try (Writer w = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                w.write(json);
                w.write('\n');
            }
        } catch (FileAlreadyExistsException e) {
            throw CliException.usage("'" + path + "' already exists; use --force to replace it");
        } catch (IOException e) {
            throw CliException.usage("cannot write the private key to '" + path + "': " + IoErrors.describe(e));
        }
    }

    private void writePublic(Path path, String json) {
        try {
            if (force) {
                Files.writeString(path, json + "\n", StandardCharsets.UTF_8);
            } else {
                Files.writeString(path, json + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
            }
        } catch (FileAlreadyExistsException e) {
            throw CliException.usage("'" + path + "' already exists; use --force to replace it");
        } catch (IOException e) {
            throw CliException.usage("cannot write the public key to '" + path + "': " + IoErrors.describe(e));
        }
    }
}
