package dev.runtimeplane.service.intent;

import dev.runtimeplane.declarative.PayloadProblem;
import dev.runtimeplane.declarative.PayloadSchema;
import dev.runtimeplane.saga.SagaDefinition;
import java.util.List;
import java.util.Objects;

/**
 * Something a client can submit as an intent: a saga definition with a description and an example
 * payload for {@code GET /v1/intent-types}. Declare one as a bean and it is served.
 *
 * @param payloadSchema what a submit's payload must match (else 400 naming the field), or null for any JSON;
 *                      {@link PayloadSchema#of} compiles one written in code
 */
public record IntentType(String name, String description, SagaDefinition definition, String examplePayload,
                         PayloadSchema payloadSchema) {

    public IntentType {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(definition, "definition");
        if (!definition.name().equals(name)) {
            throw new IllegalArgumentException("intent type " + name + " must run a definition of the same name, not "
                    + definition.name());
        }
        List<PayloadProblem> exampleProblems = payloadSchema == null || examplePayload == null ? List.of()
                : payloadSchema.validate(examplePayload);
        if (!exampleProblems.isEmpty()) {
            throw new IllegalArgumentException("intent type " + name + ": the example payload does not match the "
                    + "payload schema: " + exampleProblems);
        }
    }

    /** An intent type that takes any JSON payload. */
    public IntentType(String name, String description, SagaDefinition definition, String examplePayload) {
        this(name, description, definition, examplePayload, null);
    }
}
