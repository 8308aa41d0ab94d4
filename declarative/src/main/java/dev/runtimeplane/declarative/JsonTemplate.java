package dev.runtimeplane.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/** A JSON tree whose strings are {@link Template}s: a request body. */
public final class JsonTemplate {

    private final JsonNode shape;
    private final Map<String, Template> templates;

    private JsonTemplate(JsonNode shape, Map<String, Template> templates) {
        this.shape = shape;
        this.templates = Map.copyOf(templates);
    }

    /**
     * Compiles every string of {@code tree}; {@code onError} hears the JSON pointer (under {@code pointer}) and
     * the problem of each string that does not compile.
     */
    static JsonTemplate compile(JsonNode tree, String pointer, BiConsumer<String, String> onError) {
        Map<String, Template> templates = new LinkedHashMap<>();
        collect(tree, "", pointer, templates, onError);
        return new JsonTemplate(tree.deepCopy(), templates);
    }

    private static void collect(JsonNode node, String at, String base, Map<String, Template> templates,
                                BiConsumer<String, String> onError) {
        if (node.isTextual()) {
            try {
                Template template = Template.compile(node.textValue());
                if (template.hasExpressions()) {
                    templates.put(at, template);
                }
            } catch (TemplateException e) {
                onError.accept(base + at, e.getMessage());
            }
        } else if (node.isObject()) {
            node.properties().forEach(field ->
                    collect(field.getValue(), Pointers.child(at, field.getKey()), base, templates, onError));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), Pointers.index(at, i), base, templates, onError);
            }
        }
    }

    JsonNode render(Object input) {
        return render(shape, "", input);
    }

    /** The templates by JSON pointer relative to the body (for the load-time reference checks). */
    Map<String, Template> templates() {
        return templates;
    }

    private JsonNode render(JsonNode node, String at, Object input) {
        Template template = templates.get(at);
        if (template != null) {
            return template.renderValue(input);
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(field ->
                    copy.set(field.getKey(), render(field.getValue(), Pointers.child(at, field.getKey()), input)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                copy.add(render(node.get(i), Pointers.index(at, i), input));
            }
            return copy;
        }
        return node;
    }
}
