package dev.runtimeplane.wal;

import dev.runtimeplane.core.time.RuntimeClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Offline repair: cuts the log back to its longest valid prefix. Damage in segment k cuts segment k
 * from its last valid record on and moves every later segment out, since they no longer continue the
 * sequence. Nothing is thrown away: each cut piece is copied into a {@code repair-<time>} directory
 * inside the log directory. Holds the directory lock, so it cannot run beside a writer.
 */
final class Repair {

    private static final DateTimeFormatter BACKUP_NAME =
            DateTimeFormatter.ofPattern("'repair-'yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private Repair() {
    }

    static RepairReport repair(Path dir, RuntimeClock clock) throws IOException {
        DirectoryLock lock = DirectoryLock.acquire(dir);
        try {
            return repairLocked(dir, clock);
        } finally {
            lock.close();
        }
    }

    private static RepairReport repairLocked(Path dir, RuntimeClock clock) throws IOException {
        SegmentFiles.deleteTemporaries(dir);
        LogScan scan = LogScanner.scan(dir);
        List<SegmentScan> segments = scan.segments();
        int cutIndex;
        boolean wholeFirst;
        if (scan.corruption().isPresent()) {
            Corruption corruption = scan.corruption().get();
            cutIndex = indexOf(segments, corruption.file());
            wholeFirst = corruption.wholeSegment();
        } else if (scan.hasTornTail()) {
            cutIndex = segments.size() - 1;
            wholeFirst = false;
        } else {
            return new RepairReport(List.of(), Optional.empty(), scan.lastValidSequence());
        }
        Path backup = Files.createDirectory(dir.resolve(BACKUP_NAME.format(clock.now())));
        List<RepairReport.Cut> cuts = new ArrayList<>();
        for (int i = cutIndex; i < segments.size(); i++) {
            SegmentScan segment = segments.get(i);
            Path name = segment.file().getFileName();
            if (i == cutIndex && !wholeFirst) {
                Path copy = backup.resolve(name + ".from-" + segment.validEnd());
                long bytes = SegmentTail.copyFrom(segment.file(), segment.validEnd(), copy);
                SegmentTail.truncate(segment.file(), segment.validEnd());
                cuts.add(new RepairReport.Cut(segment.file(), segment.validEnd(), bytes, copy));
            } else {
                Path moved = Files.move(segment.file(), backup.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                cuts.add(new RepairReport.Cut(segment.file(), 0, segment.fileSize(), moved));
            }
        }
        SegmentFiles.syncDirectory(backup);
        SegmentFiles.syncDirectory(dir);
        long lastSequence = scan.lastValidSequence();
        if (SegmentFiles.list(dir).isEmpty()) {
            // Continue from where the kept records end instead of restarting at 1 (earlier segments may
            // have been deleted below the floor).
            SegmentFactory.plain(dir, clock).create(lastSequence + 1).close();
        }
        return new RepairReport(cuts, Optional.of(backup), lastSequence);
    }

    private static int indexOf(List<SegmentScan> segments, Path file) {
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).file().equals(file)) {
                return i;
            }
        }
        throw new IllegalStateException("the damaged segment " + file + " is not among the scanned segments");
    }
}
