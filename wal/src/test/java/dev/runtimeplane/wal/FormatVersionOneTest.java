package dev.runtimeplane.wal;

import static dev.runtimeplane.wal.WalFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.port.JournalEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logs written by the previous release (segment format 1: 28-byte record headers, no sync index) are
 * read, recovered by the rules they were written under, and continued in a new segment of the current
 * format.
 */
class FormatVersionOneTest {

    private static final int RECORDS = 5;
    private static final int FILE_SIZE = 8192;

    @TempDir
    Path dir;

    private final long[] recordStart = new long[RECORDS + 2];

    @Test
    void aFormatOneLogIsReadAndAppendsContinueInANewSegmentOfTheCurrentFormat() throws IOException {
        Path old = writeFormatOneSegment(1);
        byte[] oldBytes = Files.readAllBytes(old);
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).build())) {
            assertEquals(RECORDS, log.lastSequence());
            assertEquals(6L, log.append(9, new byte[] {6}).join());
            assertEquals(7L, log.append(9, new byte[] {7}).join());
        }
        assertArrayEquals(oldBytes, Files.readAllBytes(old), "the format 1 segment is left as it was");
        List<Path> segments = SegmentFiles.list(dir);
        assertEquals(List.of(old, SegmentFiles.path(dir, 6)), segments);
        try (SegmentReader reader = SegmentReader.open(segments.get(1), FileWindow.DEFAULT_CAPACITY)) {
            assertEquals(SegmentHeader.VERSION, reader.header().version());
        } catch (FormatException e) {
            throw new AssertionError(e);
        }
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).build())) {
            List<JournalEntry> entries = readAll(log, 1);
            assertEquals(7, entries.size());
            for (int sequence = 1; sequence <= RECORDS; sequence++) {
                assertArrayEquals(payload(sequence), entries.get(sequence - 1).payload());
                assertEquals(sequence, entries.get(sequence - 1).type());
            }
            assertArrayEquals(new byte[] {7}, entries.get(6).payload());
        }
    }

    @Test
    void aFormatOneTornTailIsCutAndDamageBeforeItIsRefusedAsBefore() throws IOException {
        Path old = writeFormatOneSegment(1);
        byte[] whole = Files.readAllBytes(old);
        Files.write(old, Arrays.copyOf(whole, (int) recordStart[RECORDS] + 10));
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).build())) {
            assertEquals(RECORDS - 1, log.lastSequence());
        }

        Files.delete(SegmentFiles.path(dir, RECORDS));
        byte[] damaged = whole.clone();
        damaged[(int) recordStart[2] + 30] ^= 1;
        Files.write(old, damaged);
        RuntimePlaneException refused = assertThrows(RuntimePlaneException.class,
                () -> WriteAheadLog.open(WalOptions.builder(dir).build()));
        assertEquals(ErrorCode.CORRUPTION, refused.code());
        assertTrue(refused.getMessage().contains("byte offset " + recordStart[2]), refused.getMessage());
    }

    @Test
    void anEmptyFormatOneSegmentIsReplacedByOneOfTheCurrentFormat() throws IOException {
        Path old = SegmentFiles.path(dir, 41);
        Files.write(old, Arrays.copyOf(formatOneHeader(41), FILE_SIZE));
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).build())) {
            assertEquals(40, log.lastSequence());
            assertEquals(41L, log.append(1, new byte[] {1}).join());
        }
        assertEquals(List.of(old), SegmentFiles.list(dir));
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).build())) {
            assertEquals(List.of(41L), readAll(log, 1).stream().map(JournalEntry::sequence).toList());
        }
    }

    /** Writes sequences 1..RECORDS the way release 1 did, zero-filled to FILE_SIZE, and notes where each starts. */
    private Path writeFormatOneSegment(long firstSequence) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(formatOneHeader(firstSequence));
        for (int sequence = 1; sequence <= RECORDS; sequence++) {
            recordStart[sequence] = bytes.size();
            bytes.writeBytes(formatOneRecord(sequence, payload(sequence)));
        }
        recordStart[RECORDS + 1] = bytes.size();
        Path file = SegmentFiles.path(dir, firstSequence);
        Files.write(file, Arrays.copyOf(bytes.toByteArray(), FILE_SIZE));
        return file;
    }

    private static byte[] formatOneHeader(long firstSequence) {
        return new SegmentHeader(firstSequence, 1_700_000_000_000L, 1).encode().array();
    }

    private static byte[] formatOneRecord(long sequence, byte[] payload) {
        ByteBuffer record = ByteBuffer.allocate(RecordFormat.V1_HEADER_SIZE + payload.length).order(RecordFormat.ORDER);
        record.putInt(payload.length).putInt(0).putShort((short) sequence).putShort((short) 0).putLong(sequence)
                .putLong(1_700_000_000_000L + sequence).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(record.array(), 0, 4);
        crc.update(record.array(), 8, record.capacity() - 8);
        record.putInt(4, (int) crc.getValue());
        return record.array();
    }

    private static byte[] payload(int sequence) {
        return WalFixtures.payload(sequence, sequence, 0, 1, 20 + 13 * sequence);
    }
}
