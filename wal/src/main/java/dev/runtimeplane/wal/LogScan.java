package dev.runtimeplane.wal;

import java.util.List;
import java.util.Optional;

/**
 * What a scan found in a log directory: one entry per segment in sequence order, and the first damage
 * that is not a torn tail, if any.
 */
public record LogScan(List<SegmentScan> segments, Optional<Corruption> corruption) {

    public LogScan {
        segments = List.copyOf(segments);
    }

    /** The last sequence of the longest valid prefix of the log (0 when it holds no valid record). */
    public long lastValidSequence() {
        long last = segments.isEmpty() ? 0 : segments.getFirst().firstSequence() - 1;
        for (SegmentScan segment : segments) {
            if (corruption.isPresent() && segment.file().equals(corruption.get().file())) {
                return corruption.get().wholeSegment() ? last : segment.lastSequence();
            }
            last = segment.lastSequence();
        }
        return last;
    }

    /** True when the last segment ends with a torn tail that opening the log will cut. */
    public boolean hasTornTail() {
        return !segments.isEmpty() && segments.getLast().tail() == TailState.TORN;
    }
}
