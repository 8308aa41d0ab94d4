package dev.runtimeplane.service.journal;

import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.port.Journal;
import dev.runtimeplane.core.port.JournalEntry;
import dev.runtimeplane.core.port.JournalRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * One member of the shared WAL that keeps, per field, the latest text (one record type; the field, a line
 * break, the text; UTF-8), journaled before the caller acknowledges a change, so a Redis that lost its data
 * gets every field back. Every field stays needed for as long as the service runs, so the floor is the oldest
 * record of any field; when that falls {@code carryAfterRecords} behind the journal's end, every field is
 * journaled again (one atomic batch) and the floor moves past the old records.
 *
 * <p>Not thread-safe: callers hold their own lock.
 */
public class LatestRecordJournal {

    private final Journal journal;
    private final int recordType;
    private final long carryAfterRecords;
    /** Sequence of the latest record of each field. */
    private final Map<String, Long> sequences = new HashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private volatile long floor;

    public LatestRecordJournal(Journal journal, int recordType, long carryAfterRecords) {
        this.journal = journal;
        this.recordType = recordType;
        this.carryAfterRecords = carryAfterRecords;
    }

    /** Every field this journal holds, with its text (the latest record of each wins). */
    public Map<String, String> replay() {
        try (Stream<JournalEntry> entries = journal.replay(1)) {
            entries.filter(entry -> entry.type() == recordType).forEach(entry -> {
                String text = new String(entry.payload(), StandardCharsets.UTF_8);
                int newline = text.indexOf('\n');
                String field = text.substring(0, newline);
                sources.put(field, text.substring(newline + 1));
                sequences.put(field, entry.sequence());
            });
        }
        return Map.copyOf(sources);
    }

    public boolean holds(String field) {
        return sources.containsKey(field);
    }

    public String source(String field) {
        return sources.get(field);
    }

    /** Every field journaled here, with its text. */
    public Map<String, String> sources() {
        return Map.copyOf(sources);
    }

    /** Journals {@code source} under {@code field} and waits until it is durable. */
    public void append(String field, String source) {
        long sequence = await(journal.append(recordType, encode(field, source)));
        sources.put(field, source);
        sequences.put(field, sequence);
    }

    /** Carries every field forward when the oldest falls far behind, then raises the floor. */
    public void keepFloor() {
        long last = journal.lastSequence();
        long oldest = sequences.values().stream().mapToLong(Long::longValue).min().orElse(last + 1);
        if (!sources.isEmpty() && oldest < last - carryAfterRecords) {
            List<String> fields = new ArrayList<>(sources.keySet());
            List<JournalRecord> records = fields.stream()
                    .map(field -> new JournalRecord(recordType, encode(field, sources.get(field))))
                    .toList();
            long lastOfBatch = await(journal.appendBatch(records));
            long first = lastOfBatch - records.size() + 1;
            for (int i = 0; i < fields.size(); i++) {
                sequences.put(fields.get(i), first + i);
            }
            oldest = first;
        }
        if (oldest > floor) {
            journal.raiseFloor(oldest);
            floor = oldest;
        }
    }

    public long floor() {
        return floor;
    }

    private static byte[] encode(String field, String source) {
        return (field + "\n" + source).getBytes(StandardCharsets.UTF_8);
    }

    private static long await(CompletableFuture<Long> append) {
        try {
            return append.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new UnavailableException("the write-ahead log refused a record", Duration.ofSeconds(1), e);
        }
    }
}
