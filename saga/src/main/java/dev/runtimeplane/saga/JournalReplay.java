package dev.runtimeplane.saga;

import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.core.port.Journal;
import dev.runtimeplane.core.port.JournalEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads this replica's journal back: per execution, the newest snapshot and the events of its records.
 * At start-up only the records after the coordinator's last FLOOR record count (the state before it
 * is in the store); to restore a store that lost its data, all the journal keeps (see {@link JournalRetention}).
 */
final class JournalReplay {

    private JournalReplay() {
    }

    /** An execution found in the journal. */
    static final class Recovered {
        private ExecutionSnapshot latest;
        private long latestSequence;
        private final List<JournalCodec.DecodedTransition> records = new ArrayList<>();

        ExecutionSnapshot latest() {
            return latest;
        }

        long latestSequence() {
            return latestSequence;
        }

        long firstSequence() {
            return records.getFirst().sequence();
        }

        /**
         * The encoded events of the records above {@code storedVersion}, in version order. Only records
         * made under the latest snapshot's lease count: an ownership period begins from what the store
         * held, so older periods' records are either stored already or were superseded by another replica.
         */
        List<byte[]> eventsAfter(long storedVersion) {
            List<byte[]> events = new ArrayList<>();
            long lastVersion = storedVersion;
            for (JournalCodec.DecodedTransition record : records) {
                ExecutionSnapshot snapshot = record.snapshot();
                // A carried copy repeats a version and adds no events. Token 0 marks the very first record,
                // journaled before its creator's lease was granted.
                boolean sameLease = snapshot.fencingToken() == latest.fencingToken() || snapshot.fencingToken() == 0;
                if (snapshot.version() > lastVersion && sameLease) {
                    events.addAll(record.events());
                    lastVersion = snapshot.version();
                }
            }
            return events;
        }

        private void add(JournalCodec.DecodedTransition record) {
            records.add(record);
            ExecutionSnapshot snapshot = record.snapshot();
            if (latest == null || snapshot.newerThan(latest) || !latest.newerThan(snapshot)) {
                latest = snapshot;
                latestSequence = record.sequence();
            }
        }
    }

    /**
     * The executions whose records follow the coordinator's last FLOOR record (the ones whose state
     * the store may lack), for a restart. Notes every record's time in {@code retention} on the way.
     */
    static Map<ExecutionKey, Recovered> read(Journal journal, JournalRetention retention) {
        long floor = 1; // sequences start at 1
        try (Stream<JournalEntry> entries = journal.replay(1)) {
            for (Iterator<JournalEntry> it = entries.iterator(); it.hasNext(); ) {
                JournalEntry entry = it.next();
                retention.note(entry.timestampMillis(), entry.sequence());
                if (entry.type() == JournalCodec.FLOOR) {
                    floor = Math.max(floor, JournalCodec.decodeFloor(entry));
                }
            }
        }
        return readFrom(journal, floor, null);
    }

    /** Every execution the journal holds (running, and finished within the retention), to restore a store. */
    static Map<ExecutionKey, Recovered> readAll(Journal journal) {
        return readFrom(journal, 1, null);
    }

    /** The executions {@code keys} names, from all the journal keeps. */
    static Map<ExecutionKey, Recovered> readSome(Journal journal, Set<ExecutionKey> keys) {
        return readFrom(journal, 1, keys);
    }

    private static Map<ExecutionKey, Recovered> readFrom(Journal journal, long fromSequence, Set<ExecutionKey> only) {
        Map<ExecutionKey, Recovered> executions = new HashMap<>();
        try (Stream<JournalEntry> entries = journal.replay(fromSequence)) {
            for (Iterator<JournalEntry> it = entries.iterator(); it.hasNext(); ) {
                JournalEntry entry = it.next();
                if (entry.type() == JournalCodec.TRANSITION && entry.sequence() >= fromSequence) {
                    JournalCodec.DecodedTransition record = JournalCodec.decodeTransition(entry);
                    if (only == null || only.contains(record.snapshot().key())) {
                        executions.computeIfAbsent(record.snapshot().key(), k -> new Recovered()).add(record);
                    }
                }
            }
        }
        return executions;
    }
}
