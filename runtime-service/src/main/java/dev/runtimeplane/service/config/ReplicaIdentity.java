package dev.runtimeplane.service.config;

import dev.runtimeplane.core.id.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * This replica's id for leases. It must survive restarts (so a restarted replica takes its own leases
 * back at once instead of waiting for them to expire) and differ between replicas. Both hold for an id
 * kept next to the replica's write-ahead log, which is why that is the default; RUNTIME_REPLICA_ID
 * overrides it.
 */
public final class ReplicaIdentity {

    static final String FILE = "replica-id";

    private ReplicaIdentity() {
    }

    public static String resolve(String configured, Path walDirectory) {
        if (configured != null && !configured.isBlank()) {
            return Ids.requireValid("runtime.replica-id", configured.trim());
        }
        Path file = walDirectory.resolve(FILE);
        try {
            if (Files.exists(file)) {
                return Ids.requireValid(file.toString(), Files.readString(file, StandardCharsets.UTF_8).trim());
            }
            Files.createDirectories(walDirectory);
            String id = "replica-" + Ids.random().substring(0, 12);
            Path temporary = walDirectory.resolve(FILE + ".tmp");
            Files.writeString(temporary, id + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the replica id file " + file, e);
        }
    }
}
