package dev.runtimeplane.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionTrackerTest {

    private static final TenantId TENANT = TenantId.of("acme");
    private static final SessionId ID = SessionId.generate();
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant LATER = T0.plusSeconds(86_400);

    @Test
    void theNeededStateRecordIsTheHighestVersionEvenWhenItReachedTheJournalFirst() {
        SessionTracker tracker = new SessionTracker(Integer.MAX_VALUE);
        tracker.sessionAt(TENANT, ID, 10, T0);
        tracker.stateAt(TENANT, ID, 12, 3, LATER); // two concurrent writes: version 3 was appended before version 2
        tracker.stateAt(TENANT, ID, 13, 2, LATER);

        SessionTracker.Tracked tracked = tracker.get(ID);
        assertEquals(12, tracked.stateSequence());
        assertEquals(3, tracked.stateVersion());
        assertEquals(10, tracker.floor(100));
    }

    @Test
    void theNeededSessionRecordIsTheOneWithTheLatestExpiry() {
        SessionTracker tracker = new SessionTracker(Integer.MAX_VALUE);
        tracker.sessionAt(TENANT, ID, 20, T0.plusSeconds(60));
        tracker.sessionAt(TENANT, ID, 21, T0.plusSeconds(30));

        assertEquals(20, tracker.get(ID).sessionSequence());
        assertEquals(T0.plusSeconds(60), tracker.get(ID).expiresAt());
    }

    @Test
    void anAppendInFlightHoldsTheFloorUntilItEnds() {
        SessionTracker tracker = new SessionTracker(Integer.MAX_VALUE);
        tracker.sessionAt(TENANT, ID, 50, T0);
        long ticket = tracker.begin(41);
        assertEquals(41, tracker.floor(60));

        tracker.end(ticket);
        assertEquals(50, tracker.floor(60));
        tracker.forget(tracker.get(ID));
        assertEquals(61, tracker.floor(60));
        assertNull(tracker.get(ID));
    }

    @Test
    void aSessionKnownOnlyByItsStateNeedsItsStateRecordUntilItsSessionRecordArrives() {
        SessionTracker tracker = new SessionTracker(Integer.MAX_VALUE);
        tracker.stateAt(TENANT, ID, 70, 5, LATER);
        assertEquals(0, tracker.get(ID).sessionSequence());
        assertEquals(LATER, tracker.get(ID).expiresAt(), "kept as long as the session could live");
        assertEquals(70, tracker.floor(90));

        tracker.sessionAt(TENANT, ID, 80, T0.plusSeconds(60)); // carried: its real expiry is earlier than the bound
        assertEquals(80, tracker.get(ID).sessionSequence());
        assertEquals(T0.plusSeconds(60), tracker.get(ID).expiresAt());
    }

    @Test
    void aCloseIsFinalEvenWhenARacingTouchIsJournaledAfterIt() {
        SessionTracker tracker = new SessionTracker(Integer.MAX_VALUE);
        tracker.sessionAt(TENANT, ID, 10, T0.plusSeconds(60));
        tracker.stateAt(TENANT, ID, 11, 1, LATER);
        tracker.closedAt(TENANT, ID, 20, T0.plusSeconds(60));
        tracker.sessionAt(TENANT, ID, 21, T0.plusSeconds(90)); // the touch that raced the close
        tracker.stateAt(TENANT, ID, 22, 2, LATER);

        SessionTracker.Tracked closed = tracker.get(ID);
        assertTrue(closed.closed());
        assertEquals(20, closed.needed(), "only the CLOSED record is needed");
        assertEquals(10, closed.sessionSequence(), "the late SESSION record is not taken as the session's");
        assertEquals(T0.plusSeconds(90), closed.expiresAt(), "the CLOSED record is kept while any record could revive it");
        assertEquals(20, tracker.floor(30));
    }

    @Test
    void forgettingASeenEntryKeepsAFresherOne() {
        SessionTracker tracker = new SessionTracker(Integer.MAX_VALUE);
        tracker.sessionAt(TENANT, ID, 10, T0);
        SessionTracker.Tracked seen = tracker.get(ID);
        tracker.sessionAt(TENANT, ID, 11, T0.plusSeconds(5)); // a touch lands between the read and the forget
        tracker.forget(seen);
        assertEquals(11, tracker.get(ID).sessionSequence());
    }

    @Test
    void writesFindRoomOnlyUnderTheBoundUnlessTheSessionIsTrackedAlready() {
        SessionTracker tracker = new SessionTracker(2);
        SessionId other = SessionId.generate();
        tracker.sessionAt(TENANT, ID, 1, LATER);
        assertTrue(tracker.hasRoomFor(other));
        tracker.sessionAt(TENANT, other, 2, LATER);

        assertFalse(tracker.hasRoomFor(SessionId.generate()), "a third session does not fit");
        assertTrue(tracker.hasRoomFor(ID), "a tracked session's next record needs no room");
        tracker.forget(tracker.get(other));
        assertTrue(tracker.hasRoomFor(SessionId.generate()), "a forgotten session frees its room");
    }
}
