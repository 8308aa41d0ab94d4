package dev.runtimeplane.declarative;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import java.util.List;

/** A JSON Schema (2020-12) that an intent type's payloads must match, as written and compiled. */
public final class PayloadSchema {

    private final JsonNode source;
    private final Schema compiled;

    PayloadSchema(JsonNode source, Schema compiled) {
        this.source = source;
        this.compiled = compiled;
    }

    /**
     * Compiles a schema written in code, a Java intent type's (a definition file's goes through
     * {@link DefinitionParser}, which also checks its references and its example against it).
     *
     * @throws IllegalArgumentException when the text is not JSON or not a schema
     */
    public static PayloadSchema of(String schemaJson) {
        try {
            JsonNode schema = Json.parse(schemaJson);
            return new PayloadSchema(schema, JsonSchemas.compile(schema));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a JSON Schema: " + schemaJson, e);
        }
    }

    /** The schema as it was written. */
    public JsonNode source() {
        return source;
    }

    /**
     * Why {@code payloadJson} would be refused (a submit answers 400 with these), or an empty list. Each
     * problem names the offending field by JSON pointer.
     */
    public List<PayloadProblem> validate(String payloadJson) {
        JsonNode payload;
        try {
            payload = Json.parse(payloadJson);
        } catch (JsonProcessingException e) {
            return List.of(new PayloadProblem("", "the payload is not JSON: " + e.getOriginalMessage()));
        }
        return JsonSchemas.validate(compiled, payload).stream()
                .map(v -> new PayloadProblem(v.pointer(), v.message()))
                .toList();
    }
}
