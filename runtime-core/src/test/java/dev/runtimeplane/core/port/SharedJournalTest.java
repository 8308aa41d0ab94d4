package dev.runtimeplane.core.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SharedJournalTest {

    /** Records the floors the shared journal passes down; nothing else is used here. */
    private static final class FloorLog implements Journal {
        final List<Long> floors = new ArrayList<>();

        @Override
        public CompletableFuture<Long> append(int type, byte[] payload) {
            return CompletableFuture.completedFuture(1L);
        }

        @Override
        public CompletableFuture<Long> appendBatch(List<JournalRecord> records) {
            return CompletableFuture.completedFuture(1L);
        }

        @Override
        public Stream<JournalEntry> replay(long fromSequence) {
            return Stream.empty();
        }

        @Override
        public void flush() {
        }

        @Override
        public void raiseFloor(long sequence) {
            floors.add(sequence);
        }

        @Override
        public long lastSequence() {
            return 0;
        }
    }

    @Test
    void theJournalsFloorIsTheLowestMembersFloor() {
        FloorLog log = new FloorLog();
        SharedJournal shared = new SharedJournal(log);
        Journal saga = shared.member("saga");
        Journal sessions = shared.member("sessions");

        saga.raiseFloor(500);
        assertEquals(List.of(), log.floors, "sessions has not raised its floor: everything is still needed");

        sessions.raiseFloor(200);
        saga.raiseFloor(900);
        sessions.raiseFloor(1_000);
        assertEquals(List.of(200L, 200L, 900L), log.floors);
    }

    @Test
    void aMembersFloorNeverMovesBack() {
        FloorLog log = new FloorLog();
        SharedJournal shared = new SharedJournal(log);
        Journal only = shared.member("only");

        only.raiseFloor(300);
        only.raiseFloor(100);
        assertEquals(List.of(300L, 300L), log.floors);
    }

    @Test
    void memberNamesAreUnique() {
        SharedJournal shared = new SharedJournal(new FloorLog());
        shared.member("saga");
        assertThrows(IllegalArgumentException.class, () -> shared.member("saga"));
    }
}
