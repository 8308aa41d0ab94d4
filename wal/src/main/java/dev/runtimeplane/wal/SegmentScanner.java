package dev.runtimeplane.wal;

import static dev.runtimeplane.wal.RecordFormat.CHECKSUM_OFFSET;
import static dev.runtimeplane.wal.RecordFormat.HEADER_SIZE;
import static dev.runtimeplane.wal.RecordFormat.SEQUENCE_OFFSET;
import static dev.runtimeplane.wal.RecordFormat.TYPE_OFFSET;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Reads one segment end to end and classifies how its data ends ({@link TailState}).
 *
 * <p>The valid prefix ends at the first record that does not decode (or earlier, at the start of an
 * atomic batch whose last record is missing). What follows is:
 * <ul>
 *   <li>{@code CLEAN} when it is nothing, or only zeros;</li>
 *   <li>{@code CORRUPT} when a valid record with a higher sequence can still be found anywhere after the
 *       bad bytes: the damage sits in the middle of data that was written later, which a crash cannot
 *       produce, so it must not be silently cut;</li>
 *   <li>{@code TORN} otherwise: the remains of a write that a crash cut short.</li>
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
                    e.getMessage());
        }
        try (reader) {
            long firstSequence = reader.header().firstSequence();
            if (firstSequence != nameSequence) {
                return new SegmentScan(file, nameSequence, nameSequence - 1, 0, 0, fileSize, TailState.CORRUPT, 0,
                        "the header names first sequence " + firstSequence + " but the file name says " + nameSequence);
            }
            return scanRecords(reader, file, firstSequence, fileSize);
        }
    }

    private static SegmentScan scanRecords(SegmentReader reader, Path file, long firstSequence, long fileSize)
            throws IOException {
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
        if (!batchCut && reader.window().allZero(problemOffset, fileSize)) {
            tail = TailState.CLEAN;
            problem = "";
        } else if (laterRecordExists(reader.window(), problemOffset, fileSize, expected - 1)) {
            tail = TailState.CORRUPT;
        } else {
            tail = TailState.TORN;
            problemOffset = validEnd;
        }
        return new SegmentScan(file, firstSequence, lastComplete, records, validEnd, fileSize, tail, problemOffset,
                problem);
    }

    /**
     * Looks at every byte offset in {@code [from, fileSize)} for a record that is valid and carries a
     * sequence above {@code afterSequence}. Runs only when a segment does not end cleanly.
     */
    private static boolean laterRecordExists(FileWindow window, long from, long fileSize, long afterSequence)
            throws IOException {
        CRC32C crc = new CRC32C();
        for (long offset = from; offset + HEADER_SIZE <= fileSize; offset++) {
            if (window.load(offset, HEADER_SIZE) < HEADER_SIZE) {
                break; // the file shrank under the scan (a live log being verified)
            }
            int length = window.getInt(offset);
            if (length < 0 || offset + RecordFormat.encodedSize(length) > fileSize) {
                continue;
            }
            if (window.getLong(offset + SEQUENCE_OFFSET) <= afterSequence) {
                continue;
            }
            int stored = window.getInt(offset + CHECKSUM_OFFSET);
            crc.reset();
            window.checksum(crc, offset, CHECKSUM_OFFSET);
            window.checksum(crc, offset + TYPE_OFFSET, HEADER_SIZE - TYPE_OFFSET + (long) length);
            if ((int) crc.getValue() == stored) {
                return true;
            }
        }
        return false;
    }
}
