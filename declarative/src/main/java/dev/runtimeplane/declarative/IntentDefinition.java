package dev.runtimeplane.declarative;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An intent type loaded from a definition file: what clients submit ({@link #validatePayload}) and the steps
 * that carry it out ({@link HttpSagaFactory} turns it into a saga).
 *
 * @param source         the file it came from
 * @param intentType     the name clients submit under (the saga's name)
 * @param version        the definition's version (the saga's version)
 * @param description    for people; may be empty
 * @param examplePayload an example the payload schema accepts, or null
 * @param payloadSchema  the JSON Schema payloads must match, or null for any JSON
 * @param steps          in order
 * @param deadline       bound on the forward run, or null
 */
public record IntentDefinition(String source, String intentType, int version, String description,
                               JsonNode examplePayload, PayloadSchema payloadSchema, List<StepDefinition> steps,
                               Duration deadline) {

    public IntentDefinition {
        steps = List.copyOf(steps);
    }

    public Optional<Duration> deadlineBound() {
        return Optional.ofNullable(deadline);
    }

    /**
     * Why {@code payloadJson} would be refused (a submit answers 400 with these), or an empty list. Each
     * problem names the offending field by JSON pointer.
     */
    public List<PayloadProblem> validatePayload(String payloadJson) {
        JsonNode payload;
        try {
            payload = Json.parse(payloadJson);
        } catch (JsonProcessingException e) {
            return List.of(new PayloadProblem("", "the payload is not JSON: " + e.getOriginalMessage()));
        }
        return payloadSchema == null ? List.of() : payloadSchema.validate(payload);
    }

    @Override
    public String toString() {
        return intentType + " v" + version + " (" + source + ")";
    }
}
