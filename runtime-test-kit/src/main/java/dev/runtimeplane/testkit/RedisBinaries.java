package dev.runtimeplane.testkit;

import java.io.File;
import java.util.Optional;

/** Finds {@code redis-server} and {@code redis-cli} on the PATH. */
final class RedisBinaries {

    static final String HOW_TO_GET_REDIS = """
            No Redis for the tests. Any one of these works:
              - set REDIS_URI to a Redis 7 you can flush-free share (e.g. REDIS_URI=redis://127.0.0.1:6379);
              - run a Docker engine (Testcontainers starts redis:7);
              - install a redis-server binary on the PATH (Debian/Ubuntu: sudo apt-get install -y redis-server;
                macOS: brew install redis).""";

    private RedisBinaries() {
    }

    static Optional<String> find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            File candidate = new File(dir, name);
            if (candidate.isFile() && candidate.canExecute()) {
                return Optional.of(candidate.getAbsolutePath());
            }
        }
        return Optional.empty();
    }

    static boolean serverAvailable() {
        return find("redis-server").isPresent();
    }

    static String server() {
        return find("redis-server").orElseThrow(() -> new IllegalStateException(HOW_TO_GET_REDIS));
    }

    static String cli() {
        return find("redis-cli").orElseThrow(() -> new IllegalStateException(
                "redis-cli is needed to create a Redis Cluster; it ships with redis-server (Debian: redis-tools)"));
    }
}
