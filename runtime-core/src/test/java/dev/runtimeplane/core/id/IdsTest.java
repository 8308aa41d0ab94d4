package dev.runtimeplane.core.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.InvalidArgumentException;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"acme", "a", "Tenant_01", "x-y-z", "0abc"})
    void acceptsSafeIds(String value) {
        assertEquals(value, TenantId.of(value).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a:b", "{tag}", "a b", "a/b", "-leading", "_leading", "é", "a\nb", "a*", "a?b"})
    void rejectsAnythingThatCouldBreakAKeyOrAUrl(String value) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> SessionId.of(value));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals("sessionId", e.field().orElseThrow());
    }

    @Test
    void rejectsNullAndTooLong() {
        assertThrows(InvalidArgumentException.class, () -> ExecutionId.of(null));
        assertEquals(64, TenantId.of("a".repeat(64)).value().length());
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> TenantId.of("a".repeat(65)));
        assertTrue(e.getMessage().contains("65"), e.getMessage());
    }

    @Test
    void generatedIdsCarry128RandomBitsAndAreValid() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            SessionId id = SessionId.generate();
            assertEquals(16, HexFormat.of().parseHex(id.value()).length);
            assertTrue(seen.add(id.value()), "duplicate id " + id);
            ExecutionId.of(ExecutionId.generate().value());
        }
    }

    @Test
    void tokensHaveTheRequestedEntropy() {
        assertEquals(32, Base64.getUrlDecoder().decode(Ids.randomToken(32)).length);
    }
}
