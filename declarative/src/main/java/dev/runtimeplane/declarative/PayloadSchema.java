package dev.runtimeplane.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import java.util.List;

/** A definition's JSON Schema for payloads, as written and compiled. */
public final class PayloadSchema {

    private final JsonNode source;
    private final Schema compiled;

    PayloadSchema(JsonNode source, Schema compiled) {
        this.source = source;
        this.compiled = compiled;
    }

    /** The schema as it appears in the definition. */
    public JsonNode source() {
        return source;
    }

    List<PayloadProblem> validate(JsonNode payload) {
        return JsonSchemas.validate(compiled, payload).stream()
                .map(v -> new PayloadProblem(v.pointer(), v.message()))
                .toList();
    }
}
