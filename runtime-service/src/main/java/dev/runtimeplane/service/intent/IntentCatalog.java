package dev.runtimeplane.service.intent;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.saga.SagaRegistry;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The intent types this service accepts, and the saga registry built from them. */
@Singleton
public class IntentCatalog {

    private final Map<String, IntentType> byName;
    private final SagaRegistry registry = new SagaRegistry();

    public IntentCatalog(List<IntentType> types) {
        this.byName = types.stream().collect(Collectors.toMap(IntentType::name, Function.identity()));
        types.forEach(type -> registry.register(type.definition()));
    }

    public List<IntentType> all() {
        return byName.values().stream().sorted(Comparator.comparing(IntentType::name)).toList();
    }

    /** The type named {@code name}; fails with UNKNOWN_TYPE (422) naming the field otherwise. */
    public IntentType require(String name) {
        IntentType type = name == null ? null : byName.get(name);
        if (type == null) {
            throw new RuntimePlaneException(ErrorCode.UNKNOWN_TYPE, "unknown intent type '" + name + "'; GET /v1/intent-types lists "
                    + byName.keySet().stream().sorted().toList(), "type", null);
        }
        return type;
    }

    public SagaRegistry registry() {
        return registry;
    }
}
