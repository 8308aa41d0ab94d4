package dev.runtimeplane.wal;

/** How the data of a segment ends, as found by a scan. */
public enum TailState {
    /** The records end at the valid end, followed by nothing or by zeros (preallocated space). */
    CLEAN,
    /**
     * Bytes after the valid end that hold no intact record of a later sync round: what was written after
     * the segment's last completed fdatasync, cut short by a crash or garbled page by page by a power
     * loss, or an atomic batch without its last record. In the last segment this is cut off on open.
     */
    TORN,
    /**
     * Damage that is not a torn tail: a bad header, a bad record followed by an intact record of a later
     * sync round (so the bad one had been forced), or any damage in a segment that is not the last.
     * Opening the log fails until {@code WalTool repair} runs.
     */
    CORRUPT
}
