package dev.runtimeplane.saga;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import java.util.Map;
import java.util.Objects;
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
    private volatile MissingDefinitionLoader missing = (name, version) -> Optional.empty();

    /**
     * Where {@link #findOrLoad} looks for a definition this process lacks (definitions registered on another
     * replica while this one runs). The loader may block; it is called only where blocking is allowed.
     */
    @FunctionalInterface
    public interface MissingDefinitionLoader {
        Optional<SagaDefinition> load(String name, int version);
    }

    public SagaRegistry loadMissingWith(MissingDefinitionLoader loader) {
        this.missing = Objects.requireNonNull(loader, "loader");
        return this;
    }

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

    /**
     * The definition of {@code name} at {@code version}, asking the {@link #loadMissingWith missing-definition
     * loader} (and registering what it returns) when this registry lacks it. May block.
     */
    public Optional<SagaDefinition> findOrLoad(String name, int version) {
        Optional<SagaDefinition> known = find(name, version);
        if (known.isPresent()) {
            return known;
        }
        Optional<SagaDefinition> loaded = missing.load(name, version)
                .filter(definition -> definition.name().equals(name) && definition.version() == version);
        if (loaded.isEmpty()) {
            return loaded;
        }
        try {
            register(loaded.get());
        } catch (RuntimePlaneException raced) {
            // Registered by another thread meanwhile: that one is used.
        }
        return find(name, version);
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
