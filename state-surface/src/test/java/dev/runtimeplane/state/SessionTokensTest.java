package dev.runtimeplane.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionTokensTest {

    private static final TenantId TENANT = TenantId.of("acme");
    private static final SessionId SESSION = SessionId.of("0123abcd");

    @Test
    void aTokenNamesItsSessionAndCarries256RandomBits() {
        String token = SessionTokens.issue(TENANT, SESSION);

        assertTrue(token.startsWith("acme.0123abcd."));
        assertEquals(32, Base64.getUrlDecoder().decode(token.substring("acme.0123abcd.".length())).length);
        assertEquals(Optional.of(new SessionTokens.Claim(TENANT, SESSION)), SessionTokens.parse(token));
        assertNotEquals(token, SessionTokens.issue(TENANT, SESSION));
    }

    @Test
    void onlyTheIssuedTokenMatchesItsHash() {
        String token = SessionTokens.issue(TENANT, SESSION);
        byte[] stored = SessionTokens.hash(token);

        assertEquals(32, stored.length);
        assertTrue(SessionTokens.matches(token, stored));
        assertFalse(SessionTokens.matches(SessionTokens.issue(TENANT, SESSION), stored));
        assertFalse(SessionTokens.matches(token, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a.b", "a.b.", "a.b.c.d", "a:b.c.d", "{a}.b.c", "a. b.c"})
    void malformedTokensClaimNothing(String token) {
        assertEquals(Optional.empty(), SessionTokens.parse(token));
    }

    @Test
    void overlongTokensClaimNothing() {
        assertEquals(Optional.empty(), SessionTokens.parse("a.b." + "c".repeat(300)));
        assertEquals(Optional.empty(), SessionTokens.parse(null));
    }
}
