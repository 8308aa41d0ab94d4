package dev.runtimeplane.saga;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The saga definitions this process can run, by name and version. An execution remembers the
 * version it started on and is always driven (also after recovery) by that version, so old
 * versions stay registered as long as executions of them may be in flight.
 */
public final class SagaRegistry {

    private final Map<String, TreeMap<Integer, SagaDefinition>> byName = new ConcurrentHashMap<>();

    /** Registers {@code definition}; registering the same instance again is a no-op. */
    public SagaRegistry register(SagaDefinition definition) {
        TreeMap<Integer, SagaDefinition> versions = byName.computeIfAbsent(definition.name(), n -> new TreeMap<>());
        synchronized (versions) {
            SagaDefinition existing = versions.putIfAbsent(definition.version(), definition);
            if (existing != null && existing != definition) {
                throw new RuntimePlaneException(ErrorCode.CONFLICT,
                        "saga " + definition + " is already registered with a different definition",
                        "definition", null);
            }
        }
        return this;
    }

    public Optional<SagaDefinition> find(String name, int version) {
        TreeMap<Integer, SagaDefinition> versions = byName.get(name);
        if (versions == null) {
            return Optional.empty();
        }
        synchronized (versions) {
            return Optional.ofNullable(versions.get(version));
        }
    }

    /** The definition of {@code name} at {@code version}; throws {@link UnknownSagaException} when absent. */
    public SagaDefinition lookup(String name, int version) {
        return find(name, version).orElseThrow(
                () -> new UnknownSagaException("no saga definition " + name + " v" + version + " is registered"));
    }

    /** The highest registered version of {@code name}; throws {@link UnknownSagaException} when none. */
    public SagaDefinition latest(String name) {
        TreeMap<Integer, SagaDefinition> versions = byName.get(name);
        if (versions != null) {
            synchronized (versions) {
                if (!versions.isEmpty()) {
                    return versions.lastEntry().getValue();
                }
            }
        }
        throw new UnknownSagaException("no saga definition named '" + name + "' is registered");
    }
}
