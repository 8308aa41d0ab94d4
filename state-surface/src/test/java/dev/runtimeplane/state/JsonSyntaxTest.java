package dev.runtimeplane.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "{}", "[]", "0", "-0", "1.5e-3", "-12E+4", "true", "false", "null", "\"\"",
            "\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00\"",
            "{\"a\":[1,{\"b\":null},\"c\"],\"d\":{}}", "[[[]]]", "\"Zoë 日本\""})
    void acceptsValidJson(String json) {
        assertEquals(json, JsonSyntax.requireValid("state", json));
    }

    @Test
    void returnsTheValueWithoutSurroundingWhitespace() {
        assertEquals("{ \"a\" : 1 }", JsonSyntax.requireValid("state", " \n\t{ \"a\" : 1 }\r\n "));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{a:1}", "{'a':1}", "01", "1.", ".5", "+1", "1e", "-",
            "tru", "nul", "True", "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"tab\tinside\"",
            "{} {}", "[1 2]", "{\"a\" 1}", "NaN", "Infinity", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\""})
    void rejectsInvalidJson(String json) {
        InvalidArgumentException error = assertThrows(InvalidArgumentException.class,
                () -> JsonSyntax.requireValid("state", json));
        assertEquals("state", error.field().orElseThrow());
        assertTrue(error.getMessage().startsWith("state is not valid JSON: "), error.getMessage());
    }

    @Test
    void rejectsAMemberNameThatAppearsTwiceEvenWhenSpelledDifferently() {
        assertThrows(InvalidArgumentException.class, () -> JsonSyntax.requireValid("state", "{\"a\":1,\"a\":2}"));
        assertThrows(InvalidArgumentException.class, () -> JsonSyntax.requireValid("state", "{\"a\":1,\"\\u0061\":2}"));
        assertEquals("{\"a\":{\"a\":1}}", JsonSyntax.requireValid("state", "{\"a\":{\"a\":1}}"));
    }

    @Test
    void limitsNesting() {
        String deepest = "[".repeat(JsonSyntax.MAX_DEPTH) + "]".repeat(JsonSyntax.MAX_DEPTH);
        assertEquals(deepest, JsonSyntax.requireValid("state", deepest));
        String tooDeep = "[" + deepest + "]";
        assertThrows(InvalidArgumentException.class, () -> JsonSyntax.requireValid("state", tooDeep));
    }

    @Test
    void namesTheOffendingOffset() {
        InvalidArgumentException error = assertThrows(InvalidArgumentException.class,
                () -> JsonSyntax.requireValid("patch", "{\"a\":tru}"));
        assertEquals("patch is not valid JSON: unexpected character 't' at offset 5", error.getMessage());
    }
}
