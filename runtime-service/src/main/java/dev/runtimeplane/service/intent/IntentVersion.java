package dev.runtimeplane.service.intent;

import dev.runtimeplane.declarative.IntentDefinition;
import dev.runtimeplane.declarative.PayloadProblem;
import dev.runtimeplane.declarative.PayloadSchema;
import dev.runtimeplane.saga.SagaDefinition;
import java.util.List;
import java.util.Objects;

/**
 * One version of an intent type as clients see it: the saga a submit runs, and what the listing shows.
 *
 * @param origin         where it is defined: {@code java} (compiled in) or {@code definition} (a file or an admin
 *                       registration)
 * @param examplePayload JSON text, or null
 * @param warnings       doubts found when the definition was loaded (a step that changes data with no undo)
 * @param payloadSchema  what payloads must match, or null for any JSON
 */
public record IntentVersion(String type, int version, String origin, String description, String examplePayload,
                            SagaDefinition saga, List<String> warnings, PayloadSchema payloadSchema) {

    public IntentVersion {
        Objects.requireNonNull(saga, "saga");
        warnings = List.copyOf(warnings);
    }

    static IntentVersion of(IntentType java) {
        return new IntentVersion(java.name(), java.definition().version(), "java", java.description(),
                java.examplePayload(), java.definition(), List.of(), java.payloadSchema());
    }

    /** A definition loaded from a file or an admin registration, run as {@code saga}. */
    static IntentVersion of(IntentDefinition definition, SagaDefinition saga, List<String> warnings) {
        return new IntentVersion(definition.intentType(), definition.version(), "definition", definition.description(),
                definition.examplePayload() == null ? null : definition.examplePayload().toString(), saga, warnings,
                definition.payloadSchema());
    }

    /** Why {@code payloadJson} does not fit this version's payload schema (each naming the field); empty = it fits. */
    public List<PayloadProblem> validatePayload(String payloadJson) {
        return payloadSchema == null ? List.of() : payloadSchema.validate(payloadJson);
    }
}
