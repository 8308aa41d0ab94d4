package dev.runtimeplane.core.port;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * One journal written by several independent writers (the saga coordinator, the session journal).
 * Each writer gets a {@link #member member} view with a floor of its own (the oldest record it still
 * needs); the journal's floor is the lowest of them, so no writer's needed records are deleted because
 * another writer moved on. A member that has not raised its floor yet holds it at the beginning.
 */
public final class SharedJournal {

    private final Journal journal;
    private final Map<String, Long> floors = new ConcurrentHashMap<>();

    public SharedJournal(Journal journal) {
        this.journal = Objects.requireNonNull(journal, "journal");
    }

    /** A view of the journal for the writer {@code name}; create every member before any of them raises its floor. */
    public Journal member(String name) {
        Objects.requireNonNull(name, "name");
        if (floors.putIfAbsent(name, 0L) != null) {
            throw new IllegalArgumentException("the journal already has a member named " + name);
        }
        return new Member(name);
    }

    private synchronized void raiseFloor(String member, long sequence) {
        floors.merge(member, sequence, Math::max);
        long lowest = floors.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        if (lowest > 0) {
            journal.raiseFloor(lowest);
        }
    }

    private final class Member implements Journal {

        private final String name;

        private Member(String name) {
            this.name = name;
        }

        @Override
        public CompletableFuture<Long> append(int type, byte[] payload) {
            return journal.append(type, payload);
        }

        @Override
        public CompletableFuture<Long> appendBatch(List<JournalRecord> records) {
            return journal.appendBatch(records);
        }

        @Override
        public Stream<JournalEntry> replay(long fromSequence) {
            return journal.replay(fromSequence);
        }

        @Override
        public void flush() {
            journal.flush();
        }

        @Override
        public void raiseFloor(long sequence) {
            SharedJournal.this.raiseFloor(name, sequence);
        }

        @Override
        public long lastSequence() {
            return journal.lastSequence();
        }

        @Override
        public String toString() {
            return "journal member " + name;
        }
    }
}
