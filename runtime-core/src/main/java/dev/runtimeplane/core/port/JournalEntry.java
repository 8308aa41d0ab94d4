package dev.runtimeplane.core.port;

/** A record read back from the journal, with the sequence and timestamp the journal gave it. */
public record JournalEntry(long sequence, int type, long timestampMillis, byte[] payload) {
}
