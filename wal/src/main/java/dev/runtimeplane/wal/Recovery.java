package dev.runtimeplane.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a log directory ready for appending: deletes half-created segments, scans every segment,
 * refuses to go on when there is damage before the tail, and cuts a torn tail back to the longest
 * valid prefix. An empty directory gets its first segment.
 */
final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    /** The segments found, the one to append to (positioned after its last valid record) and the last sequence. */
    record Result(List<SegmentSet.Segment> segments, ActiveSegment active, long lastSequence) {
    }

    private Recovery() {
    }

    static Result recover(Path dir, SegmentFactory factory) throws IOException {
        int temporaries = SegmentFiles.deleteTemporaries(dir);
        if (temporaries > 0) {
            LOG.info("deleted {} half-created segment file(s) in {}", temporaries, dir);
        }
        LogScan scan = LogScanner.scan(dir);
        if (scan.corruption().isPresent()) {
            throw WalErrors.corruption(dir, scan.corruption().get());
        }
        if (scan.segments().isEmpty()) {
            ActiveSegment first = factory.create(1);
            return new Result(List.of(new SegmentSet.Segment(1, first.path())), first, 0);
        }
        SegmentScan last = scan.segments().getLast();
        if (last.tail() == TailState.TORN) {
            SegmentTail.truncate(last.file(), last.validEnd());
            LOG.warn("cut the torn tail of {}: {} bytes from offset {} ({}); the log continues after sequence {}",
                    last.file(), last.fileSize() - last.validEnd(), last.validEnd(), last.problem(), last.lastSequence());
        }
        List<SegmentSet.Segment> segments = scan.segments().stream()
                .map(segment -> new SegmentSet.Segment(segment.firstSequence(), segment.file()))
                .toList();
        ActiveSegment active = factory.reopen(last.file(), last.validEnd());
        return new Result(segments, active, last.lastSequence());
    }
}
