package dev.runtimeplane.declarative;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads JSON or YAML into a tree while noting the line each value starts on (Jackson's tree reader
 * forgets locations). YAML is chosen by the source's extension ({@code .yaml}, {@code .yml}); anything else
 * is read as JSON. Duplicate keys are refused rather than silently overwritten.
 */
final class LocatedJsonReader {

    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(64).maxStringLength(1 << 20).maxDocumentLength(4L << 20).build();
    private static final JsonFactory JSON = JsonFactory.builder().streamReadConstraints(LIMITS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final JsonFactory YAML = YAMLFactory.builder().streamReadConstraints(LIMITS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final Map<String, Integer> lines = new HashMap<>();

    private LocatedJsonReader() {
    }

    static boolean isYaml(String source) {
        String lower = source.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml");
    }

    /** Parses {@code text}; a syntax error becomes a {@link DefinitionException} naming the line. */
    static LocatedJson read(String source, String text) {
        LocatedJsonReader reader = new LocatedJsonReader();
        try (JsonParser parser = (isYaml(source) ? YAML : JSON).createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw syntax(source, 1, "the file is empty");
            }
            JsonNode root = reader.value(parser, "");
            if (parser.nextToken() != null) {
                throw syntax(source, parser.currentTokenLocation().getLineNr(), "more than one document");
            }
            return new LocatedJson(root, Map.copyOf(reader.lines));
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw syntax(source, line, "not valid " + (isYaml(source) ? "YAML" : "JSON") + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw syntax(source, 0, "could not be read: " + e.getMessage());
        }
    }

    private JsonNode value(JsonParser parser, String pointer) throws IOException {
        lines.put(pointer, parser.currentTokenLocation().getLineNr());
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.set(name, value(parser, Pointers.child(pointer, name)));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser, Pointers.index(pointer, index++)));
                }
                yield array;
            }
            case VALUE_STRING -> nodes.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> nodes.numberNode(parser.getIntValue());
                case LONG -> nodes.numberNode(parser.getLongValue());
                default -> nodes.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> nodes.numberNode(parser.getDecimalValue());
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> throw new com.fasterxml.jackson.core.JsonParseException(parser,
                    "unexpected " + parser.currentToken());
        };
    }

    private static DefinitionException syntax(String source, int line, String message) {
        return new DefinitionException(java.util.List.of(
                new DefinitionProblem(source, line, "$", message, DefinitionProblem.Severity.ERROR)));
    }
}
