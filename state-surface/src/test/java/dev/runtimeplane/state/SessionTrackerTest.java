package dev.runtimeplane.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionTrackerTest {

    private static final TenantId TENANT = TenantId.of("acme");
    private static final SessionId ID = SessionId.generate();
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void theNeededStateRecordIsTheHighestVersionEvenWhenItReachedTheJournalFirst() {
        SessionTracker tracker = new SessionTracker();
        tracker.sessionAt(TENANT, ID, 10, T0);
        tracker.stateAt(TENANT, ID, 12, 3); // two concurrent writes: version 3 was appended before version 2
        tracker.stateAt(TENANT, ID, 13, 2);

        SessionTracker.Tracked tracked = tracker.get(ID);
        assertEquals(12, tracked.stateSequence());
        assertEquals(3, tracked.stateVersion());
        assertEquals(10, tracker.floor(100));
    }

    @Test
    void theNeededSessionRecordIsTheOneWithTheLatestExpiry() {
        SessionTracker tracker = new SessionTracker();
        tracker.sessionAt(TENANT, ID, 20, T0.plusSeconds(60));
        tracker.sessionAt(TENANT, ID, 21, T0.plusSeconds(30));

        assertEquals(20, tracker.get(ID).sessionSequence());
        assertEquals(T0.plusSeconds(60), tracker.get(ID).expiresAt());
    }

    @Test
    void anAppendInFlightHoldsTheFloorUntilItEnds() {
        SessionTracker tracker = new SessionTracker();
        tracker.sessionAt(TENANT, ID, 50, T0);
        long ticket = tracker.begin(41);
        assertEquals(41, tracker.floor(60));

        tracker.end(ticket);
        assertEquals(50, tracker.floor(60));
        tracker.forget(ID);
        assertEquals(61, tracker.floor(60));
        assertNull(tracker.get(ID));
    }

    @Test
    void aSessionKnownOnlyByItsStateNeedsItsStateRecord() {
        SessionTracker tracker = new SessionTracker();
        tracker.stateAt(TENANT, ID, 70, 5);
        assertEquals(0, tracker.get(ID).sessionSequence());
        assertEquals(70, tracker.floor(90));
    }

    @Test
    void forgettingASeenEntryKeepsAFresherOne() {
        SessionTracker tracker = new SessionTracker();
        tracker.sessionAt(TENANT, ID, 10, T0);
        SessionTracker.Tracked seen = tracker.get(ID);
        tracker.sessionAt(TENANT, ID, 11, T0.plusSeconds(5)); // a touch lands between the read and the forget
        tracker.forget(seen);
        assertEquals(11, tracker.get(ID).sessionSequence());
    }
}
