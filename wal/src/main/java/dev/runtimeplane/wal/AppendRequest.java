package dev.runtimeplane.wal;

import dev.runtimeplane.core.port.JournalRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One unit the writer takes from the queue: a single record, an atomic batch, or a flush marker (no
 * records; asks for a force). Its future completes with the sequence of its last record (for a flush
 * marker: the last sequence acknowledged).
 */
final class AppendRequest {

    private final int singleType;
    private final byte[] singlePayload;
    private final List<JournalRecord> batch;
    private final long encodedSize;
    private final CompletableFuture<Long> future = new CompletableFuture<>();
    private long firstSequence;

    private AppendRequest(int singleType, byte[] singlePayload, List<JournalRecord> batch, long encodedSize) {
        this.singleType = singleType;
        this.singlePayload = singlePayload;
        this.batch = batch;
        this.encodedSize = encodedSize;
    }

    /** A single record; the payload must already be the log's own copy. */
    static AppendRequest single(int type, byte[] payload) {
        return new AppendRequest(type, payload, null, RecordFormat.encodedSize(payload.length));
    }

    /** An atomic batch; the payloads must already be the log's own copies. */
    static AppendRequest batch(List<JournalRecord> records, long encodedSize) {
        return new AppendRequest(0, null, records, encodedSize);
    }

    static AppendRequest flush() {
        return new AppendRequest(0, null, List.of(), 0);
    }

    int count() {
        return batch == null ? 1 : batch.size();
    }

    boolean isFlush() {
        return count() == 0;
    }

    int type(int index) {
        return batch == null ? singleType : batch.get(index).type();
    }

    byte[] payload(int index) {
        return batch == null ? singlePayload : batch.get(index).payload();
    }

    /** Bytes the request takes in a segment, record headers included. */
    long encodedSize() {
        return encodedSize;
    }

    void assignFirstSequence(long sequence) {
        this.firstSequence = sequence;
    }

    long firstSequence() {
        return firstSequence;
    }

    long lastSequence() {
        return firstSequence + count() - 1;
    }

    CompletableFuture<Long> future() {
        return future;
    }
}
