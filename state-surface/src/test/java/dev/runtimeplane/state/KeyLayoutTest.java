package dev.runtimeplane.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ExecutionKey;
import io.lettuce.core.cluster.SlotHash;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyLayoutTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final SessionId SESSION = SessionId.of("0123abcd");
    private static final ExecutionKey EXECUTION = new ExecutionKey(ACME, ExecutionId.of("9f8e"));
    private final KeyLayout keys = new KeyLayout("rp");

    @Test
    void documentsOneLayout() {
        assertEquals("rp:t:acme:{s:0123abcd}:meta", keys.sessionHash(ACME, SESSION));
        assertEquals("rp:t:acme:{s:0123abcd}:state", keys.sessionState(ACME, SESSION));
        assertEquals("rp:t:acme:{s:0123abcd}:idem:order-42", keys.idempotencyKey(ACME, SESSION, "order-42"));
        assertEquals("rp:t:acme:{t:acme}:sessions", keys.tenantSessions(ACME));
        assertEquals("rp:t:acme:{t:acme}:expiry", keys.tenantSessionExpiry(ACME));
        assertEquals("rp:t:acme:{x:9f8e}:exec", keys.executionRecord(EXECUTION));
        assertEquals("rp:active", keys.activeExecutions());
        assertEquals("rp:intent-types", keys.intentTypes());
        assertEquals("rp:{ix}:entries", keys.indexEntries());
        assertEquals("rp:{ix}:state:FAILED", keys.indexByState("FAILED"));
        assertEquals("rp:{ix}:tenant:acme", keys.indexByTenant(ACME));
        assertEquals("rp:{ix}:type:order", keys.indexByType("order"));
        assertEquals("rp:{ix}:session:acme:0123abcd", keys.indexBySession(ACME, SESSION));
        assertEquals("rp:cancels:replica-1", keys.cancelRequests("replica-1"));
    }

    @Test
    void theKeysOfEachScriptShareOneClusterSlot() {
        assertOneSlot(keys.sessionHash(ACME, SESSION), keys.sessionState(ACME, SESSION),
                keys.idempotencyKey(ACME, SESSION, "x"));
        assertOneSlot(keys.indexEntries(), keys.indexAll(), keys.indexExpiry(), keys.indexByState("RUNNING"),
                keys.indexByTenant(ACME), keys.indexByType("order"), keys.indexBySession(ACME, SESSION));
        assertOneSlot(keys.tenantSessions(ACME), keys.tenantSessionExpiry(ACME));
    }

    @Test
    void sessionsAndExecutionsSpreadOverSlotsRatherThanOneTenantSlot() {
        long slots = IntStream.range(0, 64)
                .mapToObj(i -> SlotHash.getSlot(keys.sessionHash(ACME, SessionId.generate())))
                .distinct()
                .count();
        assertTrue(slots > 32, "64 sessions landed in only " + slots + " slots");
    }

    @Test
    void anIdempotencyKeyCannotMoveItsKeyToAnotherSlotOrTenant() {
        String hostile = "x}:{t:other}:y";
        String key = keys.idempotencyKey(ACME, SESSION, hostile);

        assertTrue(key.startsWith("rp:t:acme:{s:0123abcd}:idem:"));
        assertEquals(SlotHash.getSlot(keys.sessionHash(ACME, SESSION)), SlotHash.getSlot(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "tab\t", "ünïcode", "new\nline"})
    void rejectsIdempotencyKeysThatAreNotPrintableAscii(String key) {
        assertThrows(InvalidArgumentException.class, () -> keys.idempotencyKey(ACME, SESSION, key));
    }

    @Test
    void rejectsOverlongIdempotencyKeysAndOwners() {
        assertThrows(InvalidArgumentException.class,
                () -> keys.idempotencyKey(ACME, SESSION, "k".repeat(KeyLayout.MAX_IDEMPOTENCY_KEY_LENGTH + 1)));
        assertThrows(InvalidArgumentException.class, () -> KeyLayout.requireValidOwner("o".repeat(129)));
        assertEquals("replica-1", KeyLayout.requireValidOwner("replica-1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a:b", "{rp}", "rp ", "-rp", "prefix-that-is-longer-than-32-chars"})
    void rejectsPrefixesThatCouldBreakTheLayout(String prefix) {
        InvalidArgumentException error = assertThrows(InvalidArgumentException.class, () -> new KeyLayout(prefix));
        assertEquals("keyPrefix", error.field().orElseThrow());
    }

    @Test
    void acceptsPlainPrefixes() {
        assertEquals("prod-rp.v2:active", new KeyLayout("prod-rp.v2").activeExecutions());
    }

    @Test
    void idsCannotCarryKeySyntax() {
        for (String hostile : List.of("a:b", "a{b}", "a}b", "a b")) {
            assertThrows(InvalidArgumentException.class, () -> TenantId.of(hostile));
            assertThrows(InvalidArgumentException.class, () -> SessionId.of(hostile));
        }
        assertNotEquals(keys.sessionHash(TenantId.of("a"), SessionId.of("b")),
                keys.sessionHash(TenantId.of("b"), SessionId.of("a")));
    }

    private static void assertOneSlot(String... keys) {
        int slot = SlotHash.getSlot(keys[0]);
        for (String key : keys) {
            assertEquals(slot, SlotHash.getSlot(key), key);
        }
    }
}
