package dev.runtimeplane.core.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SharedJournalTest {

    /** Records the checkpoints the shared journal passes down; nothing else is used here. */
    private static final class CheckpointLog implements Journal {
        final List<Long> checkpoints = new ArrayList<>();

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
        public void checkpoint(long sequence) {
            checkpoints.add(sequence);
        }

        @Override
        public long lastSequence() {
            return 0;
        }
    }

    @Test
    void theJournalIsCheckpointedAtTheLowestMembersFloor() {
        CheckpointLog log = new CheckpointLog();
        SharedJournal shared = new SharedJournal(log);
        Journal saga = shared.member("saga");
        Journal sessions = shared.member("sessions");

        saga.checkpoint(500);
        assertEquals(List.of(), log.checkpoints, "sessions has not checkpointed: everything is still needed");

        sessions.checkpoint(200);
        saga.checkpoint(900);
        sessions.checkpoint(1_000);
        assertEquals(List.of(200L, 200L, 900L), log.checkpoints);
    }

    @Test
    void aMembersFloorNeverMovesBack() {
        CheckpointLog log = new CheckpointLog();
        SharedJournal shared = new SharedJournal(log);
        Journal only = shared.member("only");

        only.checkpoint(300);
        only.checkpoint(100);
        assertEquals(List.of(300L, 300L), log.checkpoints);
    }

    @Test
    void memberNamesAreUnique() {
        SharedJournal shared = new SharedJournal(new CheckpointLog());
        shared.member("saga");
        assertThrows(IllegalArgumentException.class, () -> shared.member("saga"));
    }
}
