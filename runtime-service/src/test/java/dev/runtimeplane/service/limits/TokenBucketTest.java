package dev.runtimeplane.service.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The bucket's arithmetic, on a clock the test moves (no waiting). */
class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBucketGivesItsBurstThenOneTokenPerRefillInterval() {
        TokenBucket bucket = new TokenBucket(3, 2, 0); // burst 3, 2 per second
        for (int i = 0; i < 3; i++) {
            assertNull(bucket.tryTake(0));
        }
        assertEquals(Duration.ofMillis(500), bucket.tryTake(0), "the next token is due in half a second");
        assertEquals(Duration.ofMillis(250), bucket.tryTake(SECOND / 4), "a refusal takes nothing");
        assertNull(bucket.tryTake(SECOND / 2));
        assertFalse(bucket.isFull(SECOND / 2));
        assertTrue(bucket.isFull(10 * SECOND), "it refills up to its size, no further");
        for (int i = 0; i < 3; i++) {
            assertNull(bucket.tryTake(10 * SECOND));
        }
        assertEquals(Duration.ofMillis(500), bucket.tryTake(10 * SECOND));
    }
}
