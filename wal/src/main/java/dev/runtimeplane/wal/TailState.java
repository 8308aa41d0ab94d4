package dev.runtimeplane.wal;

/** How the data of a segment ends, as found by a scan. */
public enum TailState {
    /** The records end at the valid end, followed by nothing or by zeros (preallocated space). */
    CLEAN,
    /**
     * Bytes after the valid end that hold no further valid record: a write cut short by a crash, or an
     * atomic batch without its last record. In the last segment this is cut off on open.
     */
    TORN,
    /**
     * Damage that is not a torn tail: a bad header, a bad record followed by valid later records, or any
     * damage in a segment that is not the last. Opening the log fails until {@code WalTool repair} runs.
     */
    CORRUPT
}
