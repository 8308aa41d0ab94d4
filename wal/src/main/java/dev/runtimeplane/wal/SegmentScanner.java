package dev.runtimeplane.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads one segment end to end and classifies how its data ends ({@link TailState}).
 *
 * <p>The valid prefix ends at the first record that does not decode (or earlier, at the start of an
 * atomic batch whose last record is missing). Say the record that does not decode should carry sequence
 * {@code D}. What follows is:
 * <ul>
 *   <li>{@code CLEAN} when it is nothing, or only zeros;</li>
 *   <li>{@code CORRUPT} when a valid record of a later sync round than {@code D}'s can still be found
 *       after the bad bytes (one whose sync round starts after {@code D}): an fdatasync of the segment
 *       completed after {@code D} was written, so {@code D} was durable and has been damaged since,
 *       which neither a crash nor a power loss can do;</li>
 *   <li>{@code TORN} otherwise: everything from {@code D} on was written after the segment's last
 *       completed fdatasync, the remains of a write that a crash or a power loss cut short. A power loss
 *       may have kept later pages of that sync round and lost earlier ones, so valid records of the same
 *       sync round after the hole are part of the torn tail.</li>
 * </ul>
 * Only the last segment of a log can legitimately be torn; the caller applies that rule.
 */
final class SegmentScanner {

    private SegmentScanner() {
    }

    static SegmentScan scan(Path file, long nameSequence) throws IOException {
        long fileSize = Files.size(file);
        SegmentReader reader;
        try {
            reader = SegmentReader.open(file, FileWindow.DEFAULT_CAPACITY);
        } catch (FormatException e) {
            return new SegmentScan(file, nameSequence, nameSequence - 1, 0, 0, fileSize, TailState.CORRUPT, 0,
                    e.getMessage(), 0);
        }
        try (reader) {
            SegmentHeader header = reader.header();
            if (header.firstSequence() != nameSequence) {
                return new SegmentScan(file, nameSequence, nameSequence - 1, 0, 0, fileSize, TailState.CORRUPT, 0,
                        "the header names first sequence " + header.firstSequence() + " but the file name says "
                                + nameSequence, header.version());
            }
            return scanRecords(reader, file, header, fileSize);
        }
    }

    private static SegmentScan scanRecords(SegmentReader reader, Path file, SegmentHeader header, long fileSize)
            throws IOException {
        long firstSequence = header.firstSequence();
        long expected = firstSequence;
        long records = 0;
        long validEnd = SegmentHeader.SIZE;
        long lastComplete = firstSequence - 1;
        long batchRecords = 0;
        SegmentReader.Outcome outcome;
        while ((outcome = reader.next(expected)) == SegmentReader.Outcome.RECORD) {
            expected++;
            batchRecords++;
            if (!reader.continuesBatch()) {
                records += batchRecords;
                batchRecords = 0;
                validEnd = reader.offset();
                lastComplete = reader.sequence();
            }
        }
        long problemOffset = reader.recordOffset();
        boolean batchCut = batchRecords > 0;
        String problem = outcome == SegmentReader.Outcome.BAD ? reader.problem() : "the file ends";
        if (batchCut) {
            problem = "an atomic batch of at least " + batchRecords + " records lacks its last record (" + problem + ")";
        }
        TailState tail;
        long laterRound;
        if (!batchCut && reader.window().allZero(problemOffset, fileSize)) {
            tail = TailState.CLEAN;
            problem = "";
        } else if ((laterRound = laterSyncRoundRecord(reader, problemOffset, fileSize, expected)) >= 0) {
            tail = TailState.CORRUPT;
            problem += "; sequence " + reader.sequence() + " at byte offset " + laterRound
                    + " is intact and was written after an fdatasync that covered this record";
        } else {
            tail = TailState.TORN;
            problemOffset = validEnd;
        }
        return new SegmentScan(file, firstSequence, lastComplete, records, validEnd, fileSize, tail, problemOffset,
                problem, header.version());
    }

    /**
     * Looks at every byte offset after {@code damagedOffset}, where the record with sequence
     * {@code damagedSequence} should be, for a valid record whose sync round started after it, and
     * returns its offset (-1 when there is none; the reader then describes the record found). A record
     * with sequence {@code q} at offset {@code x} has {@code q - damagedSequence} records before it since
     * the damaged one, each at least a header long, which bounds the sequences worth checksumming.
     */
    private static long laterSyncRoundRecord(SegmentReader reader, long damagedOffset, long fileSize,
                                             long damagedSequence) throws IOException {
        int headerSize = reader.headerSize();
        for (long at = damagedOffset + 1; at + headerSize <= fileSize; at++) {
            long maxSequence = damagedSequence + (at - damagedOffset) / headerSize;
            if (reader.validRecordAt(at, damagedSequence, maxSequence) && reader.syncRoundStart() > damagedSequence) {
                return at;
            }
        }
        return -1;
    }
}
