package dev.runtimeplane.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An intent type loaded from a definition file: what clients submit (checked against {@link #payloadSchema})
 * and the steps that carry it out ({@link HttpSagaFactory} turns it into a saga).
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

    @Override
    public String toString() {
        return intentType + " v" + version + " (" + source + ")";
    }
}
