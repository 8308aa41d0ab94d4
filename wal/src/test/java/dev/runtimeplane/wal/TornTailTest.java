package dev.runtimeplane.wal;

import static dev.runtimeplane.wal.WalFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.port.JournalEntry;
import dev.runtimeplane.core.port.JournalRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage at the end of the log (a torn tail: cut back on open) and before it (corruption: open refuses,
 * naming the file and offset), made by truncating and flipping bits in real segment files.
 */
class TornTailTest {

    private static final int RECORDS = 20;
    private static final int SEGMENT_SIZE = 16 << 10;

    @TempDir
    Path dir;

    private WalOptions options;
    private Path segment;
    private byte[] original;
    /** recordStart[s] is where the record with sequence s starts; recordStart[RECORDS + 1] is the end of data. */
    private final long[] recordStart = new long[RECORDS + 2];

    @BeforeEach
    void writeTwentyRecords() throws IOException {
        // Preallocated: the segment is zero-filled to its full size, as in production.
        options = WalOptions.builder(dir).segmentSize(SEGMENT_SIZE).build();
        recordStart[1] = SegmentHeader.SIZE;
        try (WriteAheadLog log = WriteAheadLog.open(options)) {
            for (int sequence = 1; sequence <= RECORDS; sequence++) {
                byte[] payload = WalFixtures.payload(sequence, sequence, 0, 1, 16 + 7 * sequence % 50);
                log.append(sequence, payload).join(); // one sync round each: damage before the last is corruption
                recordStart[sequence + 1] = recordStart[sequence] + RecordFormat.HEADER_SIZE + payload.length;
            }
        }
        segment = SegmentFiles.list(dir).getFirst();
        original = Files.readAllBytes(segment);
        assertEquals(SEGMENT_SIZE, original.length);
        for (int i = (int) recordStart[RECORDS + 1]; i < SEGMENT_SIZE; i++) {
            assertEquals(0, original[i], "zeros after the data");
        }
    }

    @Test
    void aTruncationAtEveryByteOfTheLastThreeRecordsLeavesExactlyTheRecordsBeforeIt() throws IOException {
        int reopened = 0;
        for (int sequence = RECORDS - 2; sequence <= RECORDS; sequence++) {
            for (long cut = recordStart[sequence]; cut < recordStart[sequence + 1]; cut++) {
                Files.write(segment, Arrays.copyOf(original, (int) cut));
                assertValidPrefixThenAppend(sequence - 1, "cut at byte " + cut);
                reopened++;
            }
        }
        assertTrue(reopened > 3 * RecordFormat.HEADER_SIZE, "cut inside every byte of three records: " + reopened);
    }

    @Test
    void randomBitFlipsInTheLastRecordAreCutAsATornTail() throws IOException {
        Random random = new Random(42);
        for (int round = 0; round < 60; round++) {
            byte[] damaged = original.clone();
            int flips = 1 + random.nextInt(3);
            for (int i = 0; i < flips; i++) {
                int at = (int) (recordStart[RECORDS] + random.nextInt((int) (recordStart[RECORDS + 1] - recordStart[RECORDS])));
                damaged[at] ^= (byte) (1 << random.nextInt(8));
            }
            Files.write(segment, damaged);
            assertValidPrefixThenAppend(RECORDS - 1, "round " + round);
        }
    }

    @Test
    void theEndOfTheDataWithOrWithoutTheZerosAfterItIsNoDamageButAHalfRecordBeforeZerosIsATornTail() throws IOException {
        Files.write(segment, Arrays.copyOf(original, (int) recordStart[RECORDS + 1]));
        assertValidPrefixThenAppend(RECORDS, "valid data, no zeros");
        assertValidPrefixThenAppend(RECORDS, "valid data then zeros");

        byte[] tornThenZeros = Arrays.copyOf(Arrays.copyOf(original, (int) recordStart[RECORDS] + 10), SEGMENT_SIZE);
        Files.write(segment, tornThenZeros);
        assertValidPrefixThenAppend(RECORDS - 1, "half a record then zeros");
    }

    /** Opens the log, checks it holds exactly sequences 1..lastKept intact, appends one, reopens and checks again. */
    private void assertValidPrefixThenAppend(int lastKept, String context) throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(options)) {
            assertEquals(lastKept, log.lastSequence(), context);
            assertIntactPrefix(readAll(log, 1), lastKept, context);
            assertEquals(lastKept + 1L, log.append(99, new byte[] {1, 2, 3}).join(), context);
        }
        try (WriteAheadLog log = WriteAheadLog.open(options)) {
            List<JournalEntry> entries = readAll(log, 1);
            assertEquals(lastKept + 1, entries.size(), context);
            assertArrayEquals(new byte[] {1, 2, 3}, entries.getLast().payload(), context);
        }
        Files.write(segment, original);
    }

    private static void assertIntactPrefix(List<JournalEntry> entries, int lastKept, String context) {
        assertEquals(lastKept, entries.size(), context);
        for (int i = 0; i < lastKept; i++) {
            JournalEntry entry = entries.get(i);
            assertEquals(i + 1, entry.sequence(), context);
            assertEquals(i + 1, entry.type(), context);
            assertEquals(i + 1, WalFixtures.checkPayload(entry.payload())[0], context);
        }
    }

    @Test
    void aBitFlipBeforeTheTailStopsTheOpenNamingTheFileAndOffset() throws IOException {
        Random random = new Random(7);
        for (int sequence : new int[] {1, 2, 10, RECORDS - 2, RECORDS - 1}) {
            byte[] damaged = original.clone();
            long start = recordStart[sequence];
            int at = (int) (start + random.nextInt((int) (recordStart[sequence + 1] - start)));
            damaged[at] ^= (byte) (1 << random.nextInt(8));
            Files.write(segment, damaged);

            RuntimePlaneException refused = assertThrows(RuntimePlaneException.class, () -> WriteAheadLog.open(options));
            assertEquals(ErrorCode.CORRUPTION, refused.code(), refused.getMessage());
            assertTrue(refused.getMessage().contains(segment.toString()), refused.getMessage());
            assertTrue(refused.getMessage().contains("byte offset " + start), refused.getMessage());
            assertTrue(refused.getMessage().contains("WalTool repair"), refused.getMessage());
            assertArrayEquals(damaged, Files.readAllBytes(segment), "a refused open changes nothing");
        }
    }

    @Test
    void anAtomicBatchWithoutItsLastRecordIsCutWhole() throws IOException {
        long batchStart;
        try (WriteAheadLog log = WriteAheadLog.open(options)) {
            batchStart = recordStart[RECORDS + 1];
            log.appendBatch(List.of(new JournalRecord(1, new byte[40]), new JournalRecord(2, new byte[40]),
                    new JournalRecord(3, new byte[40]))).join();
        }
        long recordSize = RecordFormat.HEADER_SIZE + 40;
        byte[] withBatch = Files.readAllBytes(segment);
        for (long cut : new long[] {batchStart + recordSize, batchStart + 2 * recordSize, batchStart + 3 * recordSize - 1}) {
            Files.write(segment, Arrays.copyOf(withBatch, (int) cut));
            try (WriteAheadLog log = WriteAheadLog.open(options)) {
                assertEquals(RECORDS, log.lastSequence(), "cut at " + cut);
                assertEquals(RECORDS, readAll(log, 1).size());
            }
            assertEquals(batchStart, Files.size(segment), "the partial batch was truncated away");
        }
    }

    @Test
    void damageInASegmentThatIsNotTheLastIsCorruptionEvenAtItsEnd() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).segmentSize(4096).build())) {
            for (int i = 0; i < 100; i++) {
                log.append(1, new byte[100]);
            }
        }
        List<Path> segments = SegmentFiles.list(dir);
        assertTrue(segments.size() >= 3);
        Path middle = segments.get(1);
        long dataEnd = LogScanner.scan(dir).segments().get(1).validEnd();
        try (FileChannel channel = FileChannel.open(middle, StandardOpenOption.WRITE)) {
            channel.truncate(dataEnd - 5);
        }
        RuntimePlaneException refused = assertThrows(RuntimePlaneException.class, () -> WriteAheadLog.open(options));
        assertEquals(ErrorCode.CORRUPTION, refused.code());
        assertTrue(refused.getMessage().contains(middle.getFileName().toString()), refused.getMessage());
        assertTrue(refused.getMessage().contains("not the last"), refused.getMessage());
    }

    @Test
    void aMissingSegmentIsAGapInTheSequence() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).segmentSize(4096).build())) {
            for (int i = 0; i < 100; i++) {
                log.append(1, new byte[100]);
            }
        }
        List<Path> segments = SegmentFiles.list(dir);
        Files.delete(segments.get(1));
        RuntimePlaneException refused = assertThrows(RuntimePlaneException.class, () -> WriteAheadLog.open(options));
        assertEquals(ErrorCode.CORRUPTION, refused.code());
        assertTrue(refused.getMessage().contains(segments.get(2).getFileName().toString()), refused.getMessage());
        assertTrue(refused.getMessage().contains("previous segment ends at sequence"), refused.getMessage());
    }

    @Test
    void aDamagedHeaderIsCorruptionAtOffsetZero() throws IOException {
        byte[] damaged = original.clone();
        damaged[9] ^= 1;
        Files.write(segment, damaged);
        RuntimePlaneException refused = assertThrows(RuntimePlaneException.class, () -> WriteAheadLog.open(options));
        assertEquals(ErrorCode.CORRUPTION, refused.code());
        assertTrue(refused.getMessage().contains("byte offset 0: segment header checksum mismatch"), refused.getMessage());
    }

    @Test
    void aHalfCreatedSegmentIsDeletedOnOpen() throws IOException {
        Path temporary = SegmentFiles.temporaryPath(dir, RECORDS + 1);
        Files.write(temporary, new byte[] {1, 2, 3});
        try (WriteAheadLog log = WriteAheadLog.open(options)) {
            assertEquals(RECORDS, log.lastSequence());
        }
        assertFalse(Files.exists(temporary));
    }
}
