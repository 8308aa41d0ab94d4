package dev.runtimeplane.saga.testing;

import dev.runtimeplane.core.port.Journal;
import dev.runtimeplane.core.port.JournalEntry;
import dev.runtimeplane.core.port.JournalRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * A faithful in-memory {@link Journal}: sequences from 1 without gaps, copies of payloads, and records
 * below the floor are really gone (stricter than a segmented log, which keeps them until the
 * segment is deleted). Appends can be made to fail, as a broken disk would, or be held back from
 * durability, as a slow fsync would.
 */
public final class InMemoryJournal implements Journal {

    private final List<JournalEntry> entries = new ArrayList<>();
    private long lastSequence;
    private long floor;
    private volatile boolean failing;
    private long appends;
    private boolean holding;
    private final Map<Long, CompletableFuture<Long>> held = new LinkedHashMap<>();

    @Override
    public synchronized CompletableFuture<Long> append(int type, byte[] payload) {
        if (failing) {
            return CompletableFuture.failedFuture(new IllegalStateException("disk failed"));
        }
        appends++;
        lastSequence++;
        entries.add(new JournalEntry(lastSequence, type, System.currentTimeMillis(), payload.clone()));
        if (holding) {
            return held.computeIfAbsent(lastSequence, sequence -> new CompletableFuture<>());
        }
        return CompletableFuture.completedFuture(lastSequence);
    }

    /** From now on appends are not durable until {@link #releaseHeld} or {@link #failHeld}: a slow fsync. */
    public synchronized void holdDurability() {
        holding = true;
    }

    /** The held appends become durable, and later ones at once. */
    public synchronized void releaseHeld() {
        holding = false;
        held.forEach((sequence, future) -> future.complete(sequence));
        held.clear();
    }

    /** The held appends fail, and every later one: the disk broke before they were durable. */
    public synchronized void failHeld() {
        holding = false;
        failing = true;
        held.values().forEach(future -> future.completeExceptionally(new IllegalStateException("disk failed")));
        held.clear();
    }

    @Override
    public synchronized CompletableFuture<Long> appendBatch(List<JournalRecord> records) {
        if (failing) {
            return CompletableFuture.failedFuture(new IllegalStateException("disk failed"));
        }
        for (JournalRecord record : records) {
            append(record.type(), record.payload());
        }
        return CompletableFuture.completedFuture(lastSequence);
    }

    @Override
    public synchronized Stream<JournalEntry> replay(long fromSequence) {
        return new ArrayList<>(entries).stream().filter(e -> e.sequence() >= fromSequence);
    }

    @Override
    public void flush() {
    }

    @Override
    public synchronized void raiseFloor(long sequence) {
        floor = Math.max(floor, sequence);
        entries.removeIf(e -> e.sequence() < floor);
    }

    @Override
    public synchronized long lastSequence() {
        return lastSequence;
    }

    public synchronized long floorSequence() {
        return floor;
    }

    public synchronized int retained() {
        return entries.size();
    }

    public synchronized long appends() {
        return appends;
    }

    public void failAppends(boolean fail) {
        this.failing = fail;
    }
}
