package dev.runtimeplane.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Scans every segment of a log directory and finds the first damage that is not a torn tail.
 *
 * <p>The rules: a segment with a bad header is corrupt; a segment that does not start right after the
 * previous one's last record breaks the sequence; a segment that is not the last must end cleanly,
 * because the writer forces a segment before it starts the next one; the last segment may end with a
 * torn tail, which is not corruption.
 */
final class LogScanner {

    private LogScanner() {
    }

    static LogScan scan(Path dir) throws IOException {
        List<Path> files = SegmentFiles.list(dir);
        List<SegmentScan> segments = new ArrayList<>(files.size());
        Corruption corruption = null;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            SegmentScan segment = SegmentScanner.scan(file, SegmentFiles.firstSequence(file).orElseThrow());
            segments.add(segment);
            if (corruption == null) {
                boolean last = i == files.size() - 1;
                SegmentScan previous = i == 0 ? null : segments.get(i - 1);
                corruption = damage(segment, previous, last);
            }
        }
        return new LogScan(segments, Optional.ofNullable(corruption));
    }

    private static Corruption damage(SegmentScan segment, SegmentScan previous, boolean last) {
        if (segment.headerDamaged()) {
            return new Corruption(segment.file(), 0, segment.problem(), true);
        }
        if (previous != null && segment.firstSequence() != previous.lastSequence() + 1) {
            return new Corruption(segment.file(), 0, "the segment starts at sequence " + segment.firstSequence()
                    + " but the previous segment ends at sequence " + previous.lastSequence(), true);
        }
        if (segment.tail() == TailState.CORRUPT || (!last && segment.tail() != TailState.CLEAN)) {
            String where = last ? "" : " (in a segment that is not the last)";
            return new Corruption(segment.file(), segment.problemOffset(), segment.problem() + where, false);
        }
        return null;
    }
}
