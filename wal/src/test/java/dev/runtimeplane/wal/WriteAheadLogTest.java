package dev.runtimeplane.wal;

import static dev.runtimeplane.wal.WalFixtures.assertConsecutive;
import static dev.runtimeplane.wal.WalFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.component.HealthStatus;
import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.error.TooLargeException;
import dev.runtimeplane.core.port.JournalEntry;
import dev.runtimeplane.core.port.JournalRecord;
import dev.runtimeplane.core.time.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WriteAheadLogTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(FsyncPolicy.class)
    void appendsComeBackInOrderWithTheirTypesPayloadsAndTimestamps(FsyncPolicy policy) {
        ManualClock clock = new ManualClock(Instant.parse("2025-03-01T10:00:00Z"));
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).fsyncPolicy(policy).clock(clock).build())) {
            assertEquals(0, log.lastSequence());
            assertEquals(1L, log.append(7, bytes("first")).join());
            assertEquals(2L, log.append(65535, new byte[0]).join());
            assertEquals(3L, log.append(0, bytes("third")).join());
            assertEquals(3, log.lastSequence());

            List<JournalEntry> entries = readAll(log, 1);
            assertEquals(3, entries.size());
            assertConsecutive(entries, 1);
            assertEquals(7, entries.get(0).type());
            assertArrayEquals(bytes("first"), entries.get(0).payload());
            assertEquals(65535, entries.get(1).type());
            assertEquals(0, entries.get(1).payload().length);
            assertArrayEquals(bytes("third"), entries.get(2).payload());
            assertEquals(clock.millis(), entries.get(2).timestampMillis());
        }
    }

    @Test
    void theLogKeepsItsOwnCopyOfEachPayload() {
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).build())) {
            byte[] payload = bytes("original");
            CompletableFuture<Long> appended = log.append(1, payload);
            payload[0] = 'X';
            appended.join();
            assertArrayEquals(bytes("original"), readAll(log, 1).getFirst().payload());
        }
    }

    @Test
    void replayFromTheMiddleStartsAtThatSequence() {
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).segmentSize(8 << 10).build())) {
            for (int i = 1; i <= 500; i++) {
                log.append(1, bytes("record " + i));
            }
            log.flush();
            List<JournalEntry> tail = readAll(log, 377);
            assertEquals(124, tail.size());
            assertConsecutive(tail, 377);
            assertArrayEquals(bytes("record 377"), tail.getFirst().payload());
            assertTrue(readAll(log, 501).isEmpty(), "nothing after the last record");
            assertEquals(500, readAll(log, 0).size(), "sequence 0 and below mean from the start");
        }
    }

    @Test
    void replayingAnEmptyLogFromAnyStartYieldsNothing() {
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).build())) {
            assertTrue(readAll(log, 0).isEmpty());
            assertTrue(readAll(log, 1).isEmpty());
            assertTrue(readAll(log, -5).isEmpty());
        }
    }

    @Test
    void replayIsLazyAndShowsOnlyWhatWasAcknowledgedWhenItBegan() {
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).segmentSize(8 << 10).build())) {
            for (int i = 1; i <= 300; i++) {
                log.append(1, bytes("r" + i)).join();
            }
            try (Stream<JournalEntry> entries = log.replay(1)) {
                log.append(1, bytes("appended after the replay began")).join();
                assertEquals(300, entries.count());
            }
            assertEquals(301, readAll(log, 1).size());
        }
    }

    @Test
    void segmentsRollAtTheConfiguredSizeAndAreNamedByTheirFirstSequence() throws IOException {
        int segmentSize = 4096;
        byte[] payload = new byte[200];
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).segmentSize(segmentSize).build())) {
            for (int i = 0; i < 100; i++) {
                log.append(2, payload);
            }
            log.flush();
            assertEquals(100, readAll(log, 1).size());
        }
        List<Path> segments = SegmentFiles.list(dir);
        int perSegment = (segmentSize - SegmentHeader.SIZE) / (RecordFormat.HEADER_SIZE + payload.length);
        assertEquals((100 + perSegment - 1) / perSegment, segments.size());
        long expectedFirst = 1;
        for (Path segment : segments) {
            assertEquals(SegmentFiles.name(expectedFirst), segment.getFileName().toString());
            assertTrue(Files.size(segment) <= segmentSize, "segment within its size: " + segment);
            try (SegmentReader reader = SegmentReader.open(segment, FileWindow.DEFAULT_CAPACITY)) {
                assertEquals(expectedFirst, reader.header().firstSequence());
            } catch (FormatException e) {
                throw new AssertionError(e);
            }
            expectedFirst += perSegment;
        }
    }

    @Test
    void segmentsAreZeroFilledToTheirFullSizeUnlessPreallocationIsOff() throws IOException {
        Path preallocated = dir.resolve("preallocated");
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(preallocated).segmentSize(64 << 10).build())) {
            log.append(1, new byte[100]).join();
        }
        assertEquals(List.of(preallocated.resolve(SegmentFiles.name(1))), SegmentFiles.list(preallocated));
        assertEquals(64 << 10, Files.size(preallocated.resolve(SegmentFiles.name(1))));
        assertFalse(Files.exists(preallocated.resolve(SegmentFactory.SPARE_NAME)), "close deletes the spare");

        Path plain = dir.resolve("plain");
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(plain).segmentSize(64 << 10).preallocate(false).build())) {
            log.append(1, new byte[100]).join();
        }
        assertEquals(SegmentHeader.SIZE + RecordFormat.HEADER_SIZE + 100, Files.size(plain.resolve(SegmentFiles.name(1))));
    }

    @Test
    void reopeningContinuesTheSequenceAfterTheLastRecord() {
        WalOptions options = WalOptions.builder(dir).segmentSize(4096).build();
        try (WriteAheadLog log = WriteAheadLog.open(options)) {
            for (int i = 1; i <= 40; i++) {
                log.append(3, bytes("before " + i));
            }
        }
        try (WriteAheadLog log = WriteAheadLog.open(options)) {
            assertEquals(40, log.lastSequence());
            assertEquals(41L, log.append(3, bytes("after")).join());
            List<JournalEntry> entries = readAll(log, 1);
            assertEquals(41, entries.size());
            assertConsecutive(entries, 1);
            assertArrayEquals(bytes("before 40"), entries.get(39).payload());
            assertArrayEquals(bytes("after"), entries.get(40).payload());
        }
    }

    @Test
    void raisingTheFloorDeletesOnlySegmentsWhollyBeforeTheSequenceAndNeverTheActiveOne() throws IOException {
        WalOptions options = WalOptions.builder(dir).segmentSize(4096).build();
        byte[] payload = new byte[100];
        try (WriteAheadLog log = WriteAheadLog.open(options)) {
            for (int i = 0; i < 300; i++) {
                log.append(1, payload);
            }
            log.flush();
            List<Long> firsts = firstSequences();
            assertTrue(firsts.size() >= 5, "several segments: " + firsts);

            long boundary = firsts.get(2);
            log.raiseFloor(boundary - 1);
            assertEquals(firsts.subList(1, firsts.size()), firstSequences(), "segment 2 still holds boundary - 1");

            log.raiseFloor(boundary);
            assertEquals(firsts.subList(2, firsts.size()), firstSequences(), "segments before boundary are gone");
            assertEquals(boundary, readAll(log, 1).getFirst().sequence(), "replay starts at the oldest kept record");

            log.raiseFloor(Long.MAX_VALUE);
            assertEquals(List.of(firsts.getLast()), firstSequences(), "the active segment stays");
            assertEquals(301L, log.append(1, payload).join());
        }
        try (WriteAheadLog log = WriteAheadLog.open(options)) {
            assertEquals(301, log.lastSequence());
            List<JournalEntry> kept = readAll(log, 1);
            assertConsecutive(kept, firstSequences().getFirst());
            assertEquals(301, kept.getLast().sequence());
        }
    }

    private List<Long> firstSequences() throws IOException {
        List<Long> firsts = new ArrayList<>();
        for (Path segment : SegmentFiles.list(dir)) {
            firsts.add(SegmentFiles.firstSequence(segment).orElseThrow());
        }
        return firsts;
    }

    @Test
    void aBatchGetsConsecutiveSequencesAndCompletesWithTheLast() {
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).build())) {
            log.append(1, bytes("single")).join();
            long last = log.appendBatch(List.of(new JournalRecord(2, bytes("a")), new JournalRecord(3, bytes("b")),
                    new JournalRecord(4, bytes("c")))).join();
            assertEquals(4, last);
            List<JournalEntry> entries = readAll(log, 2);
            assertEquals(List.of(2, 3, 4), entries.stream().map(JournalEntry::type).toList());
            assertConsecutive(entries, 2);
        }
    }

    @Test
    void aRecordOverTheLimitIsRefusedWithItsSizeAndTheLimit() {
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).maxRecordSize(1000).build())) {
            TooLargeException tooLarge = assertThrows(TooLargeException.class, () -> log.append(1, new byte[1001]));
            assertEquals(ErrorCode.TOO_LARGE, tooLarge.code());
            assertEquals(1001, tooLarge.size());
            assertEquals(1000, tooLarge.limit());
            assertTrue(tooLarge.getMessage().contains("1001") && tooLarge.getMessage().contains("1000"),
                    tooLarge.getMessage());
            assertThrows(TooLargeException.class, () -> log.appendBatch(List.of(new JournalRecord(1, new byte[1001]))));
            assertEquals(1L, log.append(1, new byte[1000]).join(), "the refused records took no sequence");
        }
    }

    @Test
    void aBatchLargerThanASegmentIsRefused() {
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).segmentSize(4096).maxRecordSize(1000).build())) {
            List<JournalRecord> batch = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                batch.add(new JournalRecord(1, new byte[1000]));
            }
            TooLargeException tooLarge = assertThrows(TooLargeException.class, () -> log.appendBatch(batch));
            assertEquals("batch", tooLarge.field().orElseThrow());
        }
    }

    @Test
    void invalidArgumentsAreRefusedAtOnce() {
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).build())) {
            assertEquals("type", assertThrows(InvalidArgumentException.class, () -> log.append(65536, new byte[1]))
                    .field().orElseThrow());
            assertThrows(InvalidArgumentException.class, () -> log.append(-1, new byte[1]));
            assertThrows(InvalidArgumentException.class, () -> log.appendBatch(List.of()));
        }
        assertThrows(InvalidArgumentException.class, () -> WalOptions.builder(dir).segmentSize(100));
        assertThrows(InvalidArgumentException.class,
                () -> WalOptions.builder(dir).segmentSize(4096).maxRecordSize(4096).build());
        assertThrows(InvalidArgumentException.class, () -> WalOptions.builder(dir).maxPendingAppends(0));
        assertThrows(InvalidArgumentException.class, () -> WalOptions.builder(dir).maxPendingBytes(RecordFormat.HEADER_SIZE).build());
        assertThrows(InvalidArgumentException.class,
                () -> WalOptions.builder(dir).maxPendingBytes(1000).maxRecordSize(1000).build(), "a record must fit the bound");
        assertEquals(1000 - RecordFormat.HEADER_SIZE, WalOptions.builder(dir).maxPendingBytes(1000).build().maxRecordSize(),
                "the default record limit shrinks to fit the bound");
    }

    @Test
    void closeDrainsQueuedAppendsIsIdempotentAndRefusesLaterAppends() {
        WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).build());
        List<CompletableFuture<Long>> appended = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            appended.add(log.append(1, bytes("r" + i)));
        }
        log.close();
        appended.forEach(future -> assertTrue(future.isDone() && !future.isCompletedExceptionally()));
        log.close();
        log.flush();

        CompletionException refused = assertThrows(CompletionException.class, () -> log.append(1, new byte[1]).join());
        assertEquals(ErrorCode.UNAVAILABLE, ((RuntimePlaneException) refused.getCause()).code());
        assertThrows(RuntimePlaneException.class, () -> log.replay(1));
        HealthSnapshot health = log.health();
        assertEquals(HealthStatus.DOWN, health.status());
        assertEquals("closed", health.reason());

        try (WriteAheadLog reopened = WriteAheadLog.open(WalOptions.builder(dir).build())) {
            assertEquals(1000, reopened.lastSequence());
        }
    }

    @Test
    void healthIsUpWithFiguresAndMetricsCountWhatWasWritten() {
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).build())) {
            assertEquals("wal", log.name());
            for (int i = 0; i < 10; i++) {
                log.append(1, new byte[100]).join();
            }
            WalMetrics metrics = log.metrics();
            assertEquals(10, metrics.appends());
            assertEquals(10 * (RecordFormat.HEADER_SIZE + 100), metrics.bytes());
            assertTrue(metrics.fsyncNanos().count() >= 1 && metrics.fsyncNanos().count() <= 10);
            assertEquals(metrics.fsyncNanos().count(), metrics.fsyncNanos().counts().stream().mapToLong(Long::longValue).sum());
            assertEquals(10, metrics.batchRecords().sum());

            HealthSnapshot health = awaitHealthShowing(log, 10);
            assertEquals(HealthStatus.UP, health.status());
            assertTrue(health.live());
            assertEquals(List.of("lastSequence", "lastFsyncAgeMillis", "pendingBytes", "pendingAppends", "maxPendingBytes",
                            "maxPendingAppends", "segments", "fsyncPolicy"),
                    List.copyOf(health.details().keySet()));
            assertEquals(1, health.details().get("segments"));
            assertEquals("ALWAYS", health.details().get("fsyncPolicy"));
        }
    }

    private static HealthSnapshot awaitHealthShowing(WriteAheadLog log, long lastSequence) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        HealthSnapshot health = log.health();
        while (!Long.valueOf(lastSequence).equals(health.details().get("lastSequence")) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            health = log.health();
        }
        assertEquals(lastSequence, health.details().get("lastSequence"), "health refreshes within its period");
        return health;
    }

    @Test
    void drainWritesWhatIsQueuedAndTheLogStaysUsable() {
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).fsyncPolicy(FsyncPolicy.NONE).build())) {
            for (int i = 0; i < 100; i++) {
                log.append(1, new byte[10]);
            }
            var report = log.drain(Instant.now().plusSeconds(30));
            assertEquals(0, report.parked());
            assertEquals(100, readAll(log, 1).size());
            assertEquals(101L, log.append(1, new byte[10]).join());
        }
    }

    @Test
    void payloadsOfAnySizeUpToTheLimitRoundTrip() {
        int max = 3 << 20; // larger than the writer's buffer and the reader's window
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).segmentSize(8 << 20).maxRecordSize(max).build())) {
            int[] sizes = {0, 1, 27, 28, 4095, 4096, 1 << 20, (1 << 20) + 1, max};
            for (int size : sizes) {
                log.append(size % 65536, WalFixtures.payload(size, 0, 0, 1, size));
            }
            log.flush();
            List<JournalEntry> entries = readAll(log, 1);
            assertEquals(sizes.length, entries.size());
            for (int i = 0; i < sizes.length; i++) {
                assertEquals(Math.max(sizes[i], 16), entries.get(i).payload().length);
                WalFixtures.checkPayload(entries.get(i).payload());
            }
        }
    }

    @Test
    void aCallbackThatBlocksOnTheLogDoesNotStallIt() throws Exception {
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).build())) {
            // The callback runs on the thread that completes "outer" and waits for a later round.
            CompletableFuture<Long> nested = log.append(1, bytes("outer"))
                    .thenApply(outer -> log.append(2, bytes("inner")).join());
            assertEquals(2L, nested.get(30, TimeUnit.SECONDS));
            log.flush();
            assertEquals(List.of(1, 2), readAll(log, 1).stream().map(JournalEntry::type).toList());
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryInThisProcessIsRefused() {
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).build())) {
            RuntimePlaneException refused = assertThrows(RuntimePlaneException.class,
                    () -> WriteAheadLog.open(WalOptions.builder(dir).build()));
            assertEquals(ErrorCode.CONFLICT, refused.code());
            assertTrue(refused.getMessage().contains(dir.toAbsolutePath().toString()), refused.getMessage());
            assertFalse(log.append(1, new byte[1]).isCompletedExceptionally());
        }
    }
}
