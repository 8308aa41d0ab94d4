package dev.runtimeplane.saga;

import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.core.port.Journal;
import dev.runtimeplane.core.port.JournalEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads this replica's journal back at start-up: per execution, the newest snapshot and the events of
 * every record still needed. Records before the coordinator's last CHECKPOINT record are ignored: the
 * state they cover is in the store (the journal may still hold them until a segment is deleted).
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

        private void dropBefore(long checkpoint) {
            records.removeIf(record -> record.sequence() < checkpoint);
        }
    }

    static Map<ExecutionKey, Recovered> read(Journal journal) {
        Map<ExecutionKey, Recovered> executions = new HashMap<>();
        long checkpoint = 0;
        try (Stream<JournalEntry> entries = journal.replay(1)) { // sequences start at 1
            for (Iterator<JournalEntry> it = entries.iterator(); it.hasNext(); ) {
                JournalEntry entry = it.next();
                if (entry.type() == JournalCodec.TRANSITION) {
                    JournalCodec.DecodedTransition record = JournalCodec.decodeTransition(entry);
                    executions.computeIfAbsent(record.snapshot().key(), k -> new Recovered()).add(record);
                } else if (entry.type() == JournalCodec.CHECKPOINT) {
                    checkpoint = Math.max(checkpoint, JournalCodec.decodeCheckpoint(entry));
                }
            }
        }
        for (Iterator<Recovered> it = executions.values().iterator(); it.hasNext(); ) {
            Recovered recovered = it.next();
            if (recovered.latestSequence < checkpoint) {
                it.remove();
            } else {
                recovered.dropBefore(checkpoint);
            }
        }
        return executions;
    }
}
