package dev.runtimeplane.core.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    @Test
    void codesAreUniqueKebabCase() {
        var ids = Arrays.stream(ErrorCode.values()).map(ErrorCode::id).toList();
        assertEquals(ids.size(), new HashSet<>(ids).size());
        assertTrue(ids.stream().allMatch(id -> id.matches("[a-z]+(-[a-z]+)*")), ids.toString());
    }

    @Test
    void typedErrorsCarryTheirCodeAndField() {
        VersionConflictException conflict = new VersionConflictException("session state", 3, 5);
        assertEquals(ErrorCode.VERSION_CONFLICT, conflict.code());
        assertEquals("session state is at version 5, not the expected 3", conflict.getMessage());
        TooLargeException tooLarge = new TooLargeException("document", 2048, 1024);
        assertEquals("document", tooLarge.field().orElseThrow());
        UnavailableException unavailable = new UnavailableException("redis is unreachable", Duration.ofSeconds(2), null);
        assertEquals(Duration.ofSeconds(2), unavailable.retryAfter());
        assertEquals(ErrorCode.FENCED, new FencedException("execution x", 4).code());
        assertTrue(new NotFoundException("no such session").field().isEmpty());
    }
}
