package dev.gpuplan.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes an export all at once: the files go to a temporary directory beside the target, which is then renamed
 * onto it. A failure on the way leaves the target as it was; a target that exists and is not empty is refused
 * unless {@code force}, which replaces it.
 */
public final class ExportDirectory {

    private ExportDirectory() {
    }

    /** Writes {@code files} (name to content) into {@code target}; names ending in {@code .sh} or {@code .sbatch} are executable. */
    public static void write(Path target, Map<String, String> files, boolean force) {
        Path dir = target.toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ExportException(ExportException.Kind.BAD_INPUT, dir + " exists and is not a directory");
        }
        if (Files.isDirectory(dir) && !isEmpty(dir) && !force) {
            throw new ExportException(ExportException.Kind.BAD_INPUT, dir + " exists and is not empty: choose another directory,"
                    + " or pass --force to replace what is in it");
        }
        Path parent = dir.getParent();
        Path temp = null;
        try {
            Files.createDirectories(parent);
            temp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".gpuplan-");
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = temp.resolve(file.getKey());
                if (!path.getParent().equals(temp)) {
                    throw new ExportException(ExportException.Kind.BAD_INPUT, "file name \"" + file.getKey() + "\" is not a plain name");
                }
                Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
                boolean executable = file.getKey().endsWith(".sh") || file.getKey().endsWith(".sbatch");
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
            }
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path old = null;
            if (Files.isDirectory(dir)) {
                old = Files.createTempDirectory(parent, "." + dir.getFileName() + ".old-");
                Files.delete(old);
                move(dir, old);
            }
            move(temp, dir);
            temp = null;
            if (old != null) {
                delete(old);
            }
        } catch (IOException e) {
            throw new ExportException(ExportException.Kind.IO, "cannot write " + dir + ": " + e.getMessage());
        } finally {
            if (temp != null) {
                try {
                    delete(temp);
                } catch (IOException ignored) {
                    // the temporary directory is hidden beside the target; the error above says what failed
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        } catch (IOException e) {
            throw new ExportException(ExportException.Kind.IO, "cannot read " + dir + ": " + e.getMessage());
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
