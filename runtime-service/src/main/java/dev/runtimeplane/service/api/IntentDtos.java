package dev.runtimeplane.service.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** Request and response bodies of the intent routes. */
public final class IntentDtos {

    private IntentDtos() {
    }

    /**
     * Body of {@code POST /v1/sessions/{id}/intents}.
     *
     * @param type    an intent type from {@code GET /v1/intent-types}
     * @param payload any JSON value; the saga's steps read it
     */
    @Serdeable
    public record SubmitIntent(@Nullable String type,
                               @Nullable @Schema(implementation = Object.class, description = "any JSON value") JsonNode payload) {
    }

    /** The answer to a submit: where to follow the execution. */
    @Serdeable
    public record IntentAccepted(String executionId, String type, String status, String events, String stream) {
    }

    /** One entry of {@code GET /v1/intent-types}. */
    @Serdeable
    public record IntentTypeView(String type, String description, int version, List<String> steps,
                                 @Schema(implementation = Object.class, description = "any JSON value") JsonNode examplePayload) {
    }
}
