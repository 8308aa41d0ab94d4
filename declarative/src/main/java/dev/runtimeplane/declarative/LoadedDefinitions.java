package dev.runtimeplane.declarative;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.saga.SagaDefinition;
import dev.runtimeplane.saga.SagaRegistry;
import java.util.ArrayList;
import java.util.List;

/** Every definition of a load that succeeded, and the warnings found in them. */
public record LoadedDefinitions(List<IntentDefinition> definitions, List<DefinitionProblem> warnings) {

    public LoadedDefinitions {
        definitions = List.copyOf(definitions);
        warnings = List.copyOf(warnings);
    }

    /**
     * Registers every definition as a saga beside those already in {@code registry} (Java definitions keep
     * working). All or nothing: when any name and version is taken, nothing is registered (CONFLICT).
     */
    public List<SagaDefinition> registerAll(SagaRegistry registry, HttpSagaFactory factory) {
        for (IntentDefinition definition : definitions) {
            if (registry.find(definition.intentType(), definition.version()).isPresent()) {
                throw new RuntimePlaneException(ErrorCode.CONFLICT, "intent type " + definition.intentType() + " v"
                        + definition.version() + " from " + definition.source() + " is already registered",
                        "intentType", null);
            }
        }
        List<SagaDefinition> sagas = new ArrayList<>();
        for (IntentDefinition definition : definitions) {
            sagas.add(factory.toSagaDefinition(definition));
        }
        sagas.forEach(registry::register);
        return sagas;
    }
}
