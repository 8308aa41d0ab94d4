package dev.runtimeplane.declarative;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;

/**
 * One JSONata expression. JSONata (dashjoin's Java port) was chosen over JSONPath because templates need
 * more than selection (string concatenation, building objects, arithmetic, defaults) and over a script
 * engine because JSONata cannot reach the host: it only reads the input it is given and calls its own
 * built-in functions. Each evaluation is bounded in time and recursion depth.
 */
public final class Expression {

    private static final long TIME_LIMIT_MS = 1_000;
    private static final int DEPTH_LIMIT = 200;

    private final String text;

    private Expression(String text) {
        this.text = text;
    }

    /** Parses {@code text} (an evaluation parses it again: JSONata's compiled form is not shared across threads). */
    static Expression compile(String text) {
        if (text.isBlank()) {
            throw new TemplateException("an empty expression");
        }
        try {
            Jsonata.jsonata(text);
        } catch (JException e) {
            throw new TemplateException("'" + text + "' is not a valid JSONata expression: " + e.getMessage());
        }
        return new Expression(text);
    }

    /** The value over {@code input} (plain maps and lists); null when the expression yields nothing. */
    Object evaluate(Object input) {
        try {
            Jsonata expression = Jsonata.jsonata(text);
            Jsonata.Frame frame = expression.createFrame();
            frame.setRuntimeBounds(TIME_LIMIT_MS, DEPTH_LIMIT);
            return expression.evaluate(input, frame);
        } catch (JException e) {
            throw new TemplateException("'" + text + "' failed: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new TemplateException("'" + text + "' failed: " + e);
        }
    }
}
