package dev.runtimeplane.service.intent;

import dev.runtimeplane.saga.SagaDefinition;
import java.util.Objects;

/**
 * Something a client can submit as an intent: a saga definition with a description and an example
 * payload for {@code GET /v1/intent-types}. Declare one as a bean and it is served.
 */
public record IntentType(String name, String description, SagaDefinition definition, String examplePayload) {

    public IntentType {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(definition, "definition");
        if (!definition.name().equals(name)) {
            throw new IllegalArgumentException("intent type " + name + " must run a definition of the same name, not "
                    + definition.name());
        }
    }
}
