package dev.runtimeplane.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A parsed document and the line each value starts on, by JSON pointer, so problems can name the line.
 */
record LocatedJson(JsonNode root, Map<String, Integer> lines) {

    /** The line of {@code pointer}, else of its nearest ancestor that has one, else 0. */
    int lineOf(String pointer) {
        String at = pointer;
        while (true) {
            Integer line = lines.get(at);
            if (line != null) {
                return line;
            }
            if (at.isEmpty()) {
                return 0;
            }
            at = at.substring(0, at.lastIndexOf('/'));
        }
    }
}
