package dev.runtimeplane.state;

import static dev.runtimeplane.state.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runtimeplane.core.id.Ids;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.testkit.RedisTestKit;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The merge-patch script against RFC 7396 (all examples of its Appendix A) and against the ways a
 * decode/re-encode merge would corrupt members the patch does not name.
 */
class MergePatchTest {

    private static StateSurface surface;
    private static final TenantId TENANT = TenantId.of("merge-" + Ids.random().substring(0, 8));

    @BeforeAll
    static void openSurface() {
        surface = new StateSurface(StateSurfaceOptions.builder()
                .redisUri(RedisTestKit.shared().uri())
                .keyPrefix("test-" + Ids.random().substring(0, 12))
                .build());
        surface.start();
        Await.healthUp(surface);
    }

    @AfterAll
    static void closeSurface() {
        surface.close();
    }

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"a":"b"}                   | {"a":"c"}                  | {"a":"c"}
            {"a":"b"}                   | {"b":"c"}                  | {"a":"b","b":"c"}
            {"a":"b"}                   | {"a":null}                 | {}
            {"a":"b","b":"c"}           | {"a":null}                 | {"b":"c"}
            {"a":["b"]}                 | {"a":"c"}                  | {"a":"c"}
            {"a":"c"}                   | {"a":["b"]}                | {"a":["b"]}
            {"a":{"b":"c"}}             | {"a":{"b":"d","c":null}}   | {"a":{"b":"d"}}
            {"a":[{"b":"c"}]}           | {"a":[1]}                  | {"a":[1]}
            ["a","b"]                   | ["c","d"]                  | ["c","d"]
            {"a":"b"}                   | ["c"]                      | ["c"]
            {"a":"foo"}                 | null                       | null
            {"a":"foo"}                 | "bar"                      | "bar"
            {"e":null}                  | {"a":1}                    | {"e":null,"a":1}
            [1,2]                       | {"a":"b","c":null}         | {"a":"b"}
            {}                          | {"a":{"bb":{"ccc":null}}}  | {"a":{"bb":{}}}
            """)
    void appliesTheExamplesOfRfc7396(String original, String patch, String expected) {
        assertEquals(expected, patched(original, patch));
    }

    @Test
    void leavesMembersThePatchDoesNotNameExactlyAsTheyWere() {
        String original = "{\"big\":12345678901234567890,\"pi\":3.14159265358979323846,\"tiny\":1e-300,"
                + "\"empty\":[],\"nothing\":{},\"nested\":{\"list\":[[],{},null,true,-0.0]},\"x\":1}";

        assertEquals(original.replace("\"x\":1", "\"x\":2"), patched(original, "{\"x\":2}"));
    }

    @Test
    void findsMembersByTheirDecodedName() {
        assertEquals("{\"a\\u0062\":2}", patched("{\"a\\u0062\":1}", "{\"ab\":2}"));
        assertEquals("{}", patched("{\"ab\":1}", "{\"\\u0061b\":null}"));
    }

    @Test
    void handlesStringsThatContainJsonPunctuation() {
        String original = "{\"s\":\"a\\\"}{[],:\\\\\",\"t\":1,\"u\":\"\\u007d\"}";

        assertEquals(original.replace("\"t\":1", "\"t\":[2]"), patched(original, "{\"t\":[2]}"));
    }

    @Test
    void keepsNonAsciiTextIntact() {
        assertEquals("{\"name\":\"Zoë 日本 😀\",\"mark\":\"✓\"}", patched("{\"name\":\"Zoë 日本 😀\"}", "{\"mark\":\"✓\"}"));
    }

    @Test
    void mergesDeeplyAndDropsNullsInsideNewObjects() {
        assertEquals("{\"a\":{\"b\":{\"c\":{\"d\":1,\"e\":[null]}}},\"z\":0}",
                patched("{\"a\":{\"b\":{\"c\":{\"d\":0}}},\"z\":0}", "{\"a\":{\"b\":{\"c\":{\"d\":1,\"e\":[null],\"f\":null}}}}"));
        assertEquals("{\"n\":{\"k\":{}}}", patched("{}", "{\"n\":{\"k\":{\"gone\":null}}}"));
    }

    @Test
    void keepsWhitespaceInsideUntouchedValuesAndDropsItAroundMembers() {
        assertEquals("{\"a\":[ 1 , 2 ],\"b\":2}", patched(" { \"a\" : [ 1 , 2 ] ,\n \"b\" : 1 } ", "{ \"b\" : 2 }"));
    }

    private static String patched(String original, String patch) {
        SessionId session = result(surface.sessions().create(TENANT, "merge-test", Map.of())).session().id();
        result(surface.sessionState().write(TENANT, session, original, 0));
        StateDocument merged = result(surface.sessionState().mergePatch(TENANT, session, patch, OptionalLong.of(1)));
        assertEquals(2, merged.version());
        assertEquals(merged, result(surface.sessionState().read(TENANT, session)));
        return merged.json();
    }
}
