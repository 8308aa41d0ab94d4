package dev.runtimeplane.service.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A program a test needs from the machine (promtool, node, chromium). Absent on a developer's machine, the
 * test is skipped saying how to install it; absent under CI ({@code CI=true}), the test fails, because
 * {@code .ci/run} installs it and a skip there would hide that nothing was checked.
 */
public final class ExternalTool {

    private ExternalTool() {
    }

    /** The program's path on the PATH, else skip (or, under CI, fail) with {@code installHint}. */
    public static Path require(String name, String installHint) {
        Optional<Path> found = find(name);
        if (found.isEmpty()) {
            String message = name + " is not installed (" + installHint + "); .ci/run installs it";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message);
            }
            assumeTrue(false, message);
        }
        return found.get();
    }

    public static Optional<Path> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
