package dev.runtimeplane.service.intent;

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
 * The registered intent definitions' member of the shared WAL: one DEFINITION record (the source text) per
 * definition, journaled before a registration is acknowledged, so a Redis that lost its data gets them back.
 * Every definition stays needed for as long as the service runs, so its floor is the oldest record of any
 * definition; when that falls {@code carryAfterRecords} behind the journal's end, every definition is
 * journaled again (one atomic batch) and the floor moves past the old records.
 *
 * <p>Not thread-safe: {@link DeclaredIntents} calls it under its registration lock.
 */
final class DefinitionJournal {

    /** Record type of one definition: its field ({@code <type>@<version>}), a line break, its source text; UTF-8. */
    static final int DEFINITION = 0x4901;

    private final Journal journal;
    private final long carryAfterRecords;
    /** Sequence of the latest record of each definition, by field ({@code <type>@<version>}). */
    private final Map<String, Long> sequences = new HashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private volatile long floor;

    DefinitionJournal(Journal journal, long carryAfterRecords) {
        this.journal = journal;
        this.carryAfterRecords = carryAfterRecords;
    }

    /** Every definition this journal holds, by field (the latest record of each wins). */
    Map<String, String> replay() {
        try (Stream<JournalEntry> entries = journal.replay(1)) {
            entries.filter(entry -> entry.type() == DEFINITION).forEach(entry -> {
                String text = new String(entry.payload(), StandardCharsets.UTF_8);
                int newline = text.indexOf('\n');
                String field = text.substring(0, newline);
                sources.put(field, text.substring(newline + 1));
                sequences.put(field, entry.sequence());
            });
        }
        return Map.copyOf(sources);
    }

    boolean holds(String field) {
        return sources.containsKey(field);
    }

    String source(String field) {
        return sources.get(field);
    }

    /** Every definition journaled here, by field. */
    Map<String, String> sources() {
        return Map.copyOf(sources);
    }

    /** Journals {@code source} and waits until it is durable. */
    void append(String field, String source) {
        long sequence = await(journal.append(DEFINITION, encode(field, source)));
        sources.put(field, source);
        sequences.put(field, sequence);
    }

    /** Carries every definition forward when the oldest falls far behind, then raises the floor. */
    void keepFloor() {
        long last = journal.lastSequence();
        long oldest = sequences.values().stream().mapToLong(Long::longValue).min().orElse(last + 1);
        if (!sources.isEmpty() && oldest < last - carryAfterRecords) {
            List<String> fields = new ArrayList<>(sources.keySet());
            List<JournalRecord> records = fields.stream()
                    .map(field -> new JournalRecord(DEFINITION, encode(field, sources.get(field))))
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

    long floor() {
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
            throw new UnavailableException("the write-ahead log refused a definition", Duration.ofSeconds(1), e);
        }
    }
}
