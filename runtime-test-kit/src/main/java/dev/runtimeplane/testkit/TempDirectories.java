package dev.runtimeplane.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Temporary directories deleted when the test JVM exits: for files that outlive a test method's scope (a WAL
 * that a service process or an application context shared by a test class writes), which JUnit's
 * {@code @TempDir} cannot own. A WAL preallocates its segments (64 MiB each), so leaving them behind fills
 * a disk within a few test runs.
 */
public final class TempDirectories {

    private static final Set<Path> CREATED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CREATED.forEach(TempDirectories::deleteTree),
                "temp-directories-cleanup"));
    }

    private TempDirectories() {
    }

    /** A new empty directory under the system's temporary directory, deleted (with its contents) at exit. */
    public static Path create(String prefix) {
        try {
            Path directory = Files.createTempDirectory(prefix);
            CREATED.add(directory);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Already gone, or being written by a process that outlived the tests: nothing more to do.
        }
    }
}
