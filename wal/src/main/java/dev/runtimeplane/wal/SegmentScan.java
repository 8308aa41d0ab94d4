package dev.runtimeplane.wal;

import java.nio.file.Path;

/**
 * What a scan found in one segment file.
 *
 * @param file           the segment file
 * @param firstSequence  the sequence its first record has (from the header, or the file name when the header is bad)
 * @param lastSequence   the sequence of its last valid record; {@code firstSequence - 1} when it has none
 * @param records        the number of valid records (complete atomic batches only)
 * @param validEnd       the byte offset just after the last valid record; 0 when the header is bad
 * @param fileSize       the size of the file in bytes
 * @param tail           how the data ends
 * @param problemOffset  where the first invalid bytes start (meaningful unless the tail is clean)
 * @param problem        what is wrong there, empty when the tail is clean
 * @param formatVersion  the segment's format version (0 when the header is bad)
 */
public record SegmentScan(Path file, long firstSequence, long lastSequence, long records, long validEnd,
                          long fileSize, TailState tail, long problemOffset, String problem, int formatVersion) {

    /** True when the segment's header could not be read, so none of its records can be trusted. */
    public boolean headerDamaged() {
        return validEnd == 0;
    }
}
