package dev.runtimeplane.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * JSON Schema (2020-12) validation through networknt's validator: the schema of the definition format
 * itself, and the payload schemas definitions carry. Errors come back as JSON pointers and messages.
 */
final class JsonSchemas {

    static final String FORMAT_RESOURCE = "/dev/runtimeplane/declarative/intent-definition.schema.json";

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Schema FORMAT = loadFormat();

    private JsonSchemas() {
    }

    record Violation(String pointer, String message) {
    }

    /** Problems of {@code document} as an intent definition, by the format's schema. */
    static List<Violation> validateFormat(JsonNode document) {
        return validate(FORMAT, document);
    }

    /** Compiles a definition's payload schema (checked beforehand to hold only local references). */
    static Schema compile(JsonNode schema) {
        return REGISTRY.getSchema(schema);
    }

    static List<Violation> validate(Schema schema, JsonNode instance) {
        return schema.validate(instance).stream().map(JsonSchemas::violation).toList();
    }

    private static Violation violation(Error error) {
        String pointer = pointer(error.getInstanceLocation());
        if (error.getProperty() != null && "required".equals(error.getKeyword())) {
            pointer = Pointers.child(pointer, error.getProperty());
        }
        return new Violation(pointer, error.getMessage());
    }

    private static String pointer(NodePath path) {
        StringBuilder pointer = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            pointer.append('/').append(element.toString().replace("~", "~0").replace("/", "~1"));
        }
        return pointer.toString();
    }

    private static Schema loadFormat() {
        try (InputStream in = JsonSchemas.class.getResourceAsStream(FORMAT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the format schema " + FORMAT_RESOURCE + " is missing from the class path");
            }
            return REGISTRY.getSchema(Json.MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
