package dev.runtimeplane.state;

import dev.runtimeplane.core.error.InvalidArgumentException;
import java.util.HashSet;
import java.util.Set;

/**
 * A strict RFC 8259 syntax check for state documents and merge patches, so that only valid JSON
 * reaches Redis (the merge-patch script relies on it). Stricter than the RFC in two ways a state
 * store wants: member names must be unique within an object, and nesting is at most
 * {@value #MAX_DEPTH} deep. It checks only; it builds no tree.
 */
final class JsonSyntax {

    static final int MAX_DEPTH = 128;

    private final String field;
    private final String text;
    private int position;

    private JsonSyntax(String field, String text) {
        this.field = field;
        this.text = text;
    }

    /**
     * Returns {@code text} without surrounding whitespace when it is one valid JSON value; otherwise
     * throws {@link InvalidArgumentException} naming {@code field} and the offending offset.
     */
    static String requireValid(String field, String text) {
        if (text == null) {
            throw new InvalidArgumentException(field, field + " is required");
        }
        JsonSyntax parser = new JsonSyntax(field, text);
        parser.skipWhitespace();
        int start = parser.position;
        parser.value(0);
        int end = parser.position;
        parser.skipWhitespace();
        if (parser.position != text.length()) {
            throw parser.error("unexpected text after the JSON value");
        }
        return text.substring(start, end);
    }

    private void value(int depth) {
        if (position >= text.length()) {
            throw error("a value is missing");
        }
        char c = text.charAt(position);
        switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string(null);
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number();
                } else {
                    throw error("unexpected character '" + c + "'");
                }
            }
        }
    }

    private void object(int depth) {
        checkDepth(depth);
        position++;
        skipWhitespace();
        if (peek() == '}') {
            position++;
            return;
        }
        Set<String> names = new HashSet<>();
        while (true) {
            if (peek() != '"') {
                throw error("a member name (a string) is expected");
            }
            int nameAt = position;
            StringBuilder name = new StringBuilder();
            string(name);
            if (!names.add(name.toString())) {
                position = nameAt;
                throw error("the member name \"" + name + "\" appears twice in one object");
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            value(depth);
            skipWhitespace();
            if (peek() == '}') {
                position++;
                return;
            }
            expect(',');
            skipWhitespace();
        }
    }

    private void array(int depth) {
        checkDepth(depth);
        position++;
        skipWhitespace();
        if (peek() == ']') {
            position++;
            return;
        }
        while (true) {
            value(depth);
            skipWhitespace();
            if (peek() == ']') {
                position++;
                return;
            }
            expect(',');
            skipWhitespace();
        }
    }

    /** Checks a string literal; appends its decoded content to {@code decoded} when given. */
    private void string(StringBuilder decoded) {
        position++;
        while (true) {
            if (position >= text.length()) {
                throw error("a string is not closed");
            }
            char c = text.charAt(position++);
            if (c == '"') {
                return;
            }
            if (c < 0x20) {
                throw error("a control character must be escaped in a string");
            }
            if (c == '\\') {
                c = escape();
                if (Character.isSurrogate(c)) {
                    surrogatePair(c, decoded);
                    continue;
                }
            }
            if (decoded != null) {
                decoded.append(c);
            }
        }
    }

    private char escape() {
        if (position >= text.length()) {
            throw error("a string is not closed");
        }
        char c = text.charAt(position++);
        return switch (c) {
            case '"', '\\', '/' -> c;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> unicodeEscape();
            default -> {
                position--;
                throw error("invalid escape '\\" + c + "'");
            }
        };
    }

    /**
     * An escaped UTF-16 surrogate must be a high one followed by an escaped low one: a lone
     * surrogate is no character, and Redis's cjson (which decodes escaped member names in the
     * merge-patch script) rejects it.
     */
    private void surrogatePair(char high, StringBuilder decoded) {
        if (Character.isLowSurrogate(high) || !text.startsWith("\\u", position)) {
            throw error("a \\u escape of a UTF-16 surrogate must be a high/low pair");
        }
        position += 2;
        char low = unicodeEscape();
        if (!Character.isLowSurrogate(low)) {
            throw error("a \\u escape of a UTF-16 surrogate must be a high/low pair");
        }
        if (decoded != null) {
            decoded.append(high).append(low);
        }
    }

    private char unicodeEscape() {
        if (position + 4 > text.length()) {
            throw error("a \\u escape needs four hex digits");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(position++), 16);
            if (digit < 0) {
                position--;
                throw error("a \\u escape needs four hex digits");
            }
            value = value * 16 + digit;
        }
        return (char) value;
    }

    /** {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?} */
    private void number() {
        if (peek() == '-') {
            position++;
        }
        if (peek() == '0') {
            position++;
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error("a number needs a digit");
        }
        if (peek() == '.') {
            position++;
            if (!isDigit(peek())) {
                throw error("a digit must follow the decimal point");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            position++;
            if (peek() == '+' || peek() == '-') {
                position++;
            }
            if (!isDigit(peek())) {
                throw error("an exponent needs a digit");
            }
            digits();
        }
    }

    private void digits() {
        while (isDigit(peek())) {
            position++;
        }
    }

    private void literal(String word) {
        if (!text.startsWith(word, position)) {
            throw error("unexpected character '" + text.charAt(position) + "'");
        }
        position += word.length();
    }

    private void expect(char expected) {
        if (peek() != expected) {
            throw error("'" + expected + "' expected");
        }
        position++;
    }

    private void skipWhitespace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            position++;
        }
    }

    private char peek() {
        return position < text.length() ? text.charAt(position) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting is deeper than " + MAX_DEPTH + " levels");
        }
    }

    private InvalidArgumentException error(String problem) {
        return new InvalidArgumentException(field, field + " is not valid JSON: " + problem + " at offset " + position);
    }
}
