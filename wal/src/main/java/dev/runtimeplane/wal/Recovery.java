package dev.runtimeplane.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a log directory ready for appending: deletes half-created segments, scans every segment,
 * refuses to go on when there is damage before the tail, and cuts a torn tail back to the longest
 * valid prefix. An empty directory gets its first segment.
 *
 * <p>The last segment is forced before anything new is written to it. Records a previous process wrote
 * but never forced (it crashed, or ran under INTERVAL or NONE) may still sit only in the page cache; the
 * records this process writes start a new sync round, and recovery after a later power loss relies on
 * every earlier sync round being durable by then.
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
            LOG.warn("cut the torn tail of {}: {} bytes from offset {} ({}); they were written after the last"
                            + " completed fdatasync, by a write a crash or power loss cut short; the log continues"
                            + " after sequence {}", last.file(), last.fileSize() - last.validEnd(), last.validEnd(),
                    last.problem(), last.lastSequence());
        }
        List<SegmentSet.Segment> segments = new ArrayList<>(scan.segments().stream()
                .map(segment -> new SegmentSet.Segment(segment.firstSequence(), segment.file()))
                .toList());
        ActiveSegment active = factory.reopen(last.file(), last.validEnd());
        active.force();
        if (last.formatVersion() < SegmentHeader.VERSION) {
            // Records of the current format never go into an older segment: continue in a new one. It
            // replaces the old segment (same name, atomic rename) when that holds no record.
            active.close();
            long next = last.lastSequence() + 1;
            active = factory.create(next);
            if (last.records() == 0) {
                segments.removeLast();
            }
            segments.add(new SegmentSet.Segment(next, active.path()));
            LOG.info("{} is in segment format {}; appends continue in {}, format {}", last.file(),
                    last.formatVersion(), active.path(), SegmentHeader.VERSION);
        }
        return new Result(segments, active, last.lastSequence());
    }
}
