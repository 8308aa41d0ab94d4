package dev.runtimeplane.saga;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The journal keeps every record younger than the retention, and lets go of older ones a bucket late at most. */
class JournalRetentionTest {

    private static final long MINUTE = Duration.ofMinutes(1).toMillis();

    @Test
    void keepsWhatIsYoungerThanTheRetentionAndReleasesTheRest() {
        JournalRetention retention = new JournalRetention(Duration.ofDays(7));
        assertEquals(Long.MAX_VALUE, retention.floor(0), "nothing noted, nothing to keep");
        long day = Duration.ofDays(1).toMillis();
        retention.note(0, 1);              // records 1.. appended from day 0 on
        retention.note(day, 100);          // records 100.. from day 1 on
        retention.note(day + 10, 150);     // same bucket: ignored, 150.. is covered by the day-1 mark
        retention.note(2 * day, 200);

        assertEquals(1, retention.floor(7 * day), "day 0 is exactly 7 days old: kept");
        assertEquals(100, retention.floor(8 * day), "day 0 is older than 7 days; day 1 is not");
        assertEquals(200, retention.floor(9 * day + MINUTE));
        assertEquals(200, retention.floor(30 * day), "the newest mark is kept: records after it may be young");
    }

    @Test
    void aShortRetentionUsesShortBuckets() {
        JournalRetention retention = new JournalRetention(Duration.ofMillis(64));
        retention.note(0, 1);
        retention.note(1, 5);
        retention.note(2, 9);
        assertEquals(5, retention.floor(65));
        assertEquals(9, retention.floor(66));
    }
}
