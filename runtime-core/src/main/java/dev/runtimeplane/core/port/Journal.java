package dev.runtimeplane.core.port;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * An append-only, durable journal: the port the write-ahead log implements and the saga
 * coordinator writes its transitions to. Sequences are unique and increase by one per record.
 */
public interface Journal {

    /**
     * Appends one record. The future completes with its sequence once the record is durable under
     * the journal's fsync policy, or exceptionally when it can never become durable.
     *
     * @param type    a caller-defined record type, 0 to 65535
     * @param payload the record body; the journal keeps its own copy
     */
    CompletableFuture<Long> append(int type, byte[] payload);

    /**
     * Appends several records atomically: after a crash either all of them are in the journal or
     * none is. Completes with the sequence of the last one.
     */
    CompletableFuture<Long> appendBatch(List<JournalRecord> records);

    /**
     * The records with a sequence at or after {@code fromSequence}, in order, read lazily in
     * constant memory. The caller closes the stream.
     */
    Stream<JournalEntry> replay(long fromSequence);

    /** Writes and forces everything appended so far. */
    void flush();

    /** Declares that the state covered by records before {@code sequence} is safe elsewhere. */
    void raiseFloor(long sequence);

    /** The sequence of the last record appended, or 0 when the journal is empty. */
    long lastSequence();
}
