package dev.runtimeplane.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A string that may hold JSONata expressions between {@code {%} and {@code %}} (the delimiters of AWS Step
 * Functions' JSONata mode). A string that is exactly one expression yields the expression's JSON value (an
 * object stays an object, a number a number); otherwise the parts are joined as text.
 */
public final class Template {

    private static final String OPEN = "{%";
    private static final String CLOSE = "%}";

    /** A literal part (expression null) or an expression part. */
    private record Part(String literal, Expression expression) {
    }

    private final List<Part> parts;

    private Template(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    static Template compile(String text) {
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf(OPEN, at);
            if (open < 0) {
                parts.add(new Part(text.substring(at), null));
                break;
            }
            if (open > at) {
                parts.add(new Part(text.substring(at, open), null));
            }
            int close = text.indexOf(CLOSE, open + OPEN.length());
            if (close < 0) {
                throw new TemplateException("'" + OPEN + "' at character " + (open + 1) + " is never closed with '"
                        + CLOSE + "'");
            }
            parts.add(new Part(null, Expression.compile(text.substring(open + OPEN.length(), close).trim())));
            at = close + CLOSE.length();
        }
        return new Template(parts);
    }

    boolean hasExpressions() {
        return parts.stream().anyMatch(part -> part.expression() != null);
    }

    /** The value over {@code input}: the expression's JSON value for a single-expression template, else text. */
    JsonNode renderValue(Object input) {
        if (parts.size() == 1 && parts.getFirst().expression() != null) {
            return Json.fromPlain(parts.getFirst().expression().evaluate(input));
        }
        return TextNode.valueOf(renderText(input, UnaryOperator.identity()));
    }

    /**
     * The text over {@code input}: each expression's value as text (a string as is, anything else as JSON,
     * nothing as empty), passed through {@code encode} (percent-encoding in URLs).
     */
    String renderText(Object input, UnaryOperator<String> encode) {
        StringBuilder text = new StringBuilder();
        for (Part part : parts) {
            if (part.expression() == null) {
                text.append(part.literal());
                continue;
            }
            Object value = part.expression().evaluate(input);
            if (value != null) {
                text.append(encode.apply(value instanceof String s ? s : Json.write(Json.fromPlain(value))));
            }
        }
        return text.toString();
    }

    /** Evaluates every expression over {@code input} for its side effects on a probe (load-time checks). */
    void probe(Object input) {
        for (Part part : parts) {
            if (part.expression() != null) {
                part.expression().evaluate(input);
            }
        }
    }
}
