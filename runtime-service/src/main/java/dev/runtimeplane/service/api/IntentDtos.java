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
     * @param payload any JSON value; the saga's steps read it (a declarative type checks it against its schema)
     * @param version the intent type's version to run; the latest when absent
     */
    @Serdeable
    public record SubmitIntent(@Nullable String type,
                               @Nullable @Schema(implementation = Object.class, description = "any JSON value") JsonNode payload,
                               @Nullable Integer version) {
    }

    /** The answer to a submit: where to follow the execution. */
    @Serdeable
    public record IntentAccepted(String executionId, String type, String status, String events, String stream) {
    }

    /**
     * One entry of {@code GET /v1/intent-types}: the latest version's fields at the top, and every version
     * (latest first) in {@code versions}.
     *
     * @param origin        {@code java} (compiled in) or {@code definition} (a definition file or an admin registration)
     * @param payloadSchema the JSON Schema a submit's payload must match (else 400 naming the field); absent: any JSON
     */
    @Serdeable
    public record IntentTypeView(String type, String origin, String description, int version, List<String> steps,
                                 @Nullable @Schema(implementation = Object.class, description = "any JSON value") JsonNode examplePayload,
                                 @Nullable @Schema(implementation = Object.class, description = "a JSON Schema (2020-12)") JsonNode payloadSchema,
                                 List<String> warnings, List<IntentVersionView> versions) {
    }

    /** One version of an intent type; {@code warnings} are doubts found at load (a step that changes data with no undo). */
    @Serdeable
    public record IntentVersionView(int version, String description, List<String> steps,
                                    @Nullable @Schema(implementation = Object.class, description = "any JSON value") JsonNode examplePayload,
                                    @Nullable @Schema(implementation = Object.class, description = "a JSON Schema (2020-12)") JsonNode payloadSchema,
                                    List<String> warnings) {
    }

    /** The answer to {@code POST /admin/v1/intent-types}; {@code status} is {@code created} or {@code unchanged}. */
    @Serdeable
    public record RegisteredIntentType(String type, int version, String status, List<String> warnings) {
    }
}
