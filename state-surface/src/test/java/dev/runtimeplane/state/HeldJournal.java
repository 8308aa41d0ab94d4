package dev.runtimeplane.state;

import dev.runtimeplane.core.port.Journal;
import dev.runtimeplane.core.port.JournalEntry;
import dev.runtimeplane.core.port.JournalRecord;
import dev.runtimeplane.wal.WriteAheadLog;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real write-ahead log whose appends of one record type can be held, as if their fsync took until
 * the test says so: {@link #hold} them, watch {@link #waiting}, then {@link #release} them (they are
 * written then) or {@link #fail} them (they never become durable, like an append to a closing WAL).
 */
final class HeldJournal implements Journal {

    private final WriteAheadLog wal;
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile int heldType = -1;
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

    HeldJournal(WriteAheadLog wal) {
        this.wal = wal;
    }

    /** Holds every later append of {@code type} until {@link #release} or {@link #fail}. */
    void hold(int type) {
        heldType = type;
        gate = new CompletableFuture<>();
    }

    void release() {
        heldType = -1;
        gate.complete(null);
    }

    void fail() {
        heldType = -1;
        gate.completeExceptionally(new IllegalStateException("the write-ahead log is closed"));
    }

    /** How many appends have been held so far. */
    int waiting() {
        return waiting.get();
    }

    @Override
    public CompletableFuture<Long> append(int type, byte[] payload) {
        CompletableFuture<Void> held = gate;
        if (type != heldType || held.isDone()) {
            return wal.append(type, payload);
        }
        waiting.incrementAndGet();
        return held.thenCompose(released -> wal.append(type, payload));
    }

    @Override
    public CompletableFuture<Long> appendBatch(List<JournalRecord> records) {
        return wal.appendBatch(records);
    }

    @Override
    public Stream<JournalEntry> replay(long fromSequence) {
        return wal.replay(fromSequence);
    }

    @Override
    public void flush() {
        wal.flush();
    }

    @Override
    public void raiseFloor(long sequence) {
        wal.raiseFloor(sequence);
    }

    @Override
    public long lastSequence() {
        return wal.lastSequence();
    }
}
