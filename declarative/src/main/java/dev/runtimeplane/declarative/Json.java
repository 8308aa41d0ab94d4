package dev.runtimeplane.declarative;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

/** The module's one Jackson mapper and conversions between JSON text, trees and JSONata's plain Java values. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** JSON text to a tree; null or blank text is JSON null. */
    static JsonNode parse(String text) throws JsonProcessingException {
        if (text == null || text.isBlank()) {
            return NullNode.getInstance();
        }
        return MAPPER.readTree(text);
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    /** A tree as JSONata's input: maps, lists, strings, numbers, booleans and null. */
    static Object toPlain(JsonNode node) {
        return node == null || node.isNull() ? null : MAPPER.convertValue(node, Object.class);
    }

    /** JSONata's output (plain values) as a tree; undefined becomes JSON null. */
    static JsonNode fromPlain(Object value) {
        return value == null ? NullNode.getInstance() : MAPPER.valueToTree(value);
    }
}
