package dev.runtimeplane.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The segment files of an open log, by first sequence. The writer adds one when it rolls; raising the floor
 * deletes the oldest; replays take a snapshot. The last segment is the active one and is never deleted.
 */
final class SegmentSet {

    /** A segment file and the sequence of its first record. */
    record Segment(long firstSequence, Path file) {
    }

    private final Path dir;
    private final ConcurrentSkipListMap<Long, Path> files = new ConcurrentSkipListMap<>();

    SegmentSet(Path dir, List<Segment> initial) {
        this.dir = dir;
        initial.forEach(segment -> files.put(segment.firstSequence(), segment.file()));
    }

    void add(long firstSequence, Path file) {
        files.put(firstSequence, file);
    }

    int count() {
        return files.size();
    }

    /** The segments that may hold {@code sequence} or later records, oldest first. */
    List<Segment> startingAt(long sequence) {
        Long floor = files.floorKey(sequence);
        NavigableMap<Long, Path> tail = floor == null ? files : files.tailMap(floor, true);
        List<Segment> snapshot = new ArrayList<>(tail.size());
        for (Map.Entry<Long, Path> entry : tail.entrySet()) {
            snapshot.add(new Segment(entry.getKey(), entry.getValue()));
        }
        return snapshot;
    }

    /**
     * Deletes, oldest first, every segment whose records all have a sequence below {@code sequence}: a
     * segment qualifies when the next one starts at or before {@code sequence}. Forces the directory
     * after deleting. Returns how many were deleted.
     */
    synchronized int deleteCoveredBy(long sequence) throws IOException {
        int deleted = 0;
        while (true) {
            Map.Entry<Long, Path> oldest = files.firstEntry();
            Long next = files.higherKey(oldest.getKey());
            if (next == null || next > sequence) {
                break;
            }
            Files.deleteIfExists(oldest.getValue());
            files.remove(oldest.getKey());
            deleted++;
        }
        if (deleted > 0) {
            SegmentFiles.syncDirectory(dir);
        }
        return deleted;
    }
}
