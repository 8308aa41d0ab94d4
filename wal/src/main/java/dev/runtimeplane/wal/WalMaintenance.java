package dev.runtimeplane.wal;

import dev.runtimeplane.core.port.JournalEntry;
import dev.runtimeplane.core.time.RuntimeClock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Operations on a log directory that no writer has open: the operator tool ({@code WalTool}) runs on
 * these. {@link #verify} and {@link #dump} only read; {@link #repair} takes the directory lock.
 */
public final class WalMaintenance {

    private WalMaintenance() {
    }

    /** Scans every segment: sequence ranges, how each ends, and the first damage before the tail, if any. */
    public static LogScan verify(Path dir) throws IOException {
        return LogScanner.scan(dir);
    }

    /**
     * The valid records from {@code fromSequence} on, up to the first damage or the torn tail (neither is
     * an error here; {@link #verify} reports them). The caller closes the stream.
     */
    public static Stream<JournalEntry> dump(Path dir, long fromSequence) throws IOException {
        LogScan scan = LogScanner.scan(dir);
        long lastValid = scan.lastValidSequence();
        SegmentSet segments = new SegmentSet(dir, scan.segments().stream()
                .map(segment -> new SegmentSet.Segment(segment.firstSequence(), segment.file()))
                .toList());
        return ReplayCursor.stream(dir, segments.startingAt(fromSequence), fromSequence, lastValid);
    }

    /**
     * Cuts the log back to its longest valid prefix (see {@code Repair}), keeping a copy of everything
     * cut. Does nothing when the log has no damage and no torn tail.
     */
    public static RepairReport repair(Path dir) throws IOException {
        return Repair.repair(dir, RuntimeClock.system());
    }
}
