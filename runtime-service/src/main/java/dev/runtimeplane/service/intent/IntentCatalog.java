package dev.runtimeplane.service.intent;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.saga.SagaRegistry;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The intent types this service accepts, and the saga registry built from them: Java intent types (beans,
 * one version each) and declarative ones (definition files and admin registrations, any number of
 * versions). One name is either Java or declarative, never both.
 */
@Singleton
public class IntentCatalog {

    private final Map<String, IntentType> java;
    private final Map<String, NavigableMap<Integer, IntentVersion>> declared = new ConcurrentHashMap<>();
    private final SagaRegistry registry = new SagaRegistry();

    public IntentCatalog(List<IntentType> types) {
        this.java = types.stream().collect(Collectors.toMap(IntentType::name, Function.identity()));
        types.forEach(type -> registry.register(type.definition()));
    }

    /** Every intent type, by name; within a type, every version, latest first. */
    public List<List<IntentVersion>> all() {
        List<List<IntentVersion>> types = new ArrayList<>();
        java.values().forEach(type -> types.add(List.of(IntentVersion.of(type))));
        declared.values().forEach(versions -> {
            synchronized (versions) {
                types.add(List.copyOf(versions.descendingMap().values()));
            }
        });
        types.sort(Comparator.comparing(versions -> versions.getFirst().type()));
        return types;
    }

    /**
     * The version a submit runs: {@code version}, or the latest when null. Fails with UNKNOWN_TYPE (422)
     * naming the field when there is no such type or version.
     */
    public IntentVersion require(String name, Integer version) {
        List<IntentVersion> versions = name == null ? List.of() : versionsOf(name);
        if (versions.isEmpty()) {
            throw new RuntimePlaneException(ErrorCode.UNKNOWN_TYPE, "unknown intent type '" + name
                    + "'; GET /v1/intent-types lists " + names(), "type", null);
        }
        if (version == null) {
            return versions.getFirst();
        }
        return versions.stream().filter(v -> v.version() == version).findFirst().orElseThrow(() ->
                new RuntimePlaneException(ErrorCode.UNKNOWN_TYPE, "intent type '" + name + "' has no version " + version
                        + "; it has " + versions.stream().map(IntentVersion::version).toList(), "version", null));
    }

    /** The declarative version {@code name} v{@code version}, if registered. */
    public Optional<IntentVersion> findDeclared(String name, int version) {
        NavigableMap<Integer, IntentVersion> versions = declared.get(name);
        if (versions == null) {
            return Optional.empty();
        }
        synchronized (versions) {
            return Optional.ofNullable(versions.get(version));
        }
    }

    /** How many declarative versions are registered. */
    public int declaredCount() {
        return declared.values().stream().mapToInt(versions -> {
            synchronized (versions) {
                return versions.size();
            }
        }).sum();
    }

    public boolean isJava(String name) {
        return java.containsKey(name);
    }

    /**
     * Adds a declarative version and registers its saga. CONFLICT when the name is a Java intent type, or the
     * version is registered already with another definition.
     */
    public void addDeclared(IntentVersion version) {
        if (isJava(version.type())) {
            throw new RuntimePlaneException(ErrorCode.CONFLICT, "intent type '" + version.type()
                    + "' is defined in Java; a definition file cannot define it too", "intentType", null);
        }
        NavigableMap<Integer, IntentVersion> versions = declared.computeIfAbsent(version.type(), name -> new TreeMap<>());
        synchronized (versions) {
            IntentVersion existing = versions.get(version.version());
            if (existing != null) {
                throw new RuntimePlaneException(ErrorCode.CONFLICT, "intent type " + version.type() + " v"
                        + version.version() + " is already registered", "version", null);
            }
            registry.register(version.saga());
            versions.put(version.version(), version);
        }
    }

    public SagaRegistry registry() {
        return registry;
    }

    private List<IntentVersion> versionsOf(String name) {
        IntentType type = java.get(name);
        if (type != null) {
            return List.of(IntentVersion.of(type));
        }
        NavigableMap<Integer, IntentVersion> versions = declared.get(name);
        if (versions == null) {
            return List.of();
        }
        synchronized (versions) {
            return List.copyOf(versions.descendingMap().values());
        }
    }

    private List<String> names() {
        List<String> names = new ArrayList<>(java.keySet());
        names.addAll(declared.keySet());
        return names.stream().sorted().toList();
    }
}
