package dev.runtimeplane.wal;

import static dev.runtimeplane.wal.WalFixtures.assertConsecutive;
import static dev.runtimeplane.wal.WalFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.port.JournalEntry;
import dev.runtimeplane.core.port.JournalRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power loss, simulated on what the real writer wrote to real files. A run drives concurrent appenders
 * (singles and atomic batches of mixed sizes, segment roll-overs in some runs) through the writer, whose
 * channels record every write and every completed force, and notes every acknowledgement in the same
 * timeline. A cut is a random moment of that timeline: the files are rebuilt as a power loss at that
 * moment could leave them. What was forced is kept; every 4 KiB page written since the file's last
 * completed fdatasync is independently kept, dropped (its contents as of that fdatasync) or scrambled
 * (random bytes in place of what was written since); a growing file keeps any length between the two;
 * a new segment whose rename may not be durable yet may be missing. The log must then open, hold every
 * acknowledged record byte for byte and in order, hold nothing that was not appended, and keep every
 * atomic batch whole.
 *
 * <p>The model assumes, as SQLite does by default ("powersafe overwrite"), that a write does not
 * damage bytes outside the range it wrote: bytes that were durable before a page was rewritten stay.
 *
 * <p>Seeded: a failure prints the seed; rerun with {@code -Dwal.powerLossSeed=<seed>} for the same
 * workloads, cut points and page fates (the thread interleaving of a run still varies), and the files
 * of the failing cut are kept under {@code target/power-loss-failure-<seed>}.
 */
class PowerLossTest {

    private static final int PAGE = 4096;
    private static final int RUNS = 40;
    private static final int CUTS_PER_RUN = 30;

    @TempDir
    Path tempDir;

    /** Where runs and rebuilt images go: tmpfs when there is one, since each cut opens a log (fsyncs add nothing here). */
    private Path dir;

    @BeforeEach
    void chooseDirectory() throws IOException {
        Path shm = Path.of("/dev/shm");
        dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "wal-power-loss-") : tempDir;
    }

    @AfterEach
    void deleteDirectory() throws IOException {
        if (!dir.equals(tempDir)) {
            deleteTree(dir);
        }
    }

    @Test
    void everyAcknowledgedRecordSurvivesPowerLossAtOverAThousandRandomMoments() throws Exception {
        long seed = Long.getLong("wal.powerLossSeed", new SecureRandom().nextLong());
        Random random = new Random(seed);
        int cuts = 0;
        int tornTails = 0;
        int holesBeforeIntactRecords = 0;
        for (int run = 0; run < RUNS; run++) {
            Workload workload = Workload.random(random);
            Recording recording = Recording.of(workload, dir.resolve("run-" + run), random.nextLong());
            for (int c = 0; c < CUTS_PER_RUN; c++) {
                int cut = recording.randomCut(random);
                Path image = dir.resolve("run-" + run + "-cut-" + c);
                recording.materialize(cut, random, image);
                try {
                    LogScan scan = LogScanner.scan(image);
                    if (scan.hasTornTail()) {
                        tornTails++;
                        holesBeforeIntactRecords += intactRecordAfterTheHole(scan.segments().getLast()) ? 1 : 0;
                    }
                    checkRecovery(recording, cut, image, random.nextInt(8) == 0);
                } catch (AssertionError | RuntimeException | IOException e) {
                    throw failure(seed, run, workload, cut, recording, image, e);
                }
                deleteTree(image);
                cuts++;
            }
        }
        String summary = "seed " + seed + ": " + cuts + " cuts, " + tornTails + " left a torn tail, "
                + holesBeforeIntactRecords + " of them with an intact record after the hole";
        System.out.println("power-loss simulation, " + summary);
        assertTrue(cuts >= 1000, summary);
        assertTrue(tornTails > cuts / 10, "too few cuts left a torn tail to cut: " + summary);
        // The case the previous format refused: a lost or garbled page before a page that was kept.
        assertTrue(holesBeforeIntactRecords >= 20, "too few holes before an intact record: " + summary);
    }

    @Test
    void damageToAcknowledgedDataStillStopsTheStartAfterAPowerLossAndRepairCutsIt() throws Exception {
        long seed = Long.getLong("wal.powerLossSeed", new SecureRandom().nextLong());
        Random random = new Random(seed);
        int refused = 0;
        for (int run = 0; run < 4; run++) {
            Workload workload = Workload.random(random).withPolicy(FsyncPolicy.ALWAYS);
            Recording recording = Recording.of(workload, dir.resolve("run-" + run), random.nextLong());
            for (int c = 0; c < 20; c++) {
                int cut = recording.randomCut(random);
                Path image = dir.resolve("run-" + run + "-cut-" + c);
                recording.materialize(cut, random, image);
                try {
                    refused += damageAcknowledgedRecord(recording, cut, image, random) ? 1 : 0;
                } catch (AssertionError | RuntimeException | IOException e) {
                    throw failure(seed, run, workload, cut, recording, image, e);
                }
                deleteTree(image);
            }
        }
        System.out.println("damage after power loss, seed " + seed + ": " + refused + " refused opens");
        assertTrue(refused >= 10, "cuts with an acknowledged record followed by a later sync round: " + refused
                + " (seed " + seed + ")");
    }

    /** Whether an intact record with a later sequence follows the torn tail's first bad bytes. */
    private static boolean intactRecordAfterTheHole(SegmentScan torn) throws IOException {
        try (SegmentReader reader = SegmentReader.open(torn.file(), FileWindow.DEFAULT_CAPACITY)) {
            for (long at = torn.validEnd() + 1; at < torn.fileSize(); at++) {
                if (reader.validRecordAt(at, torn.lastSequence() + 1, Long.MAX_VALUE)) {
                    return true;
                }
            }
            return false;
        } catch (FormatException e) {
            throw new AssertionError(e);
        }
    }

    /** Opens the log rebuilt after a power loss and checks what it holds; optionally appends and reopens. */
    private static void checkRecovery(Recording recording, int cut, Path image, boolean appendAfter) {
        long required = recording.requiredAt(cut);
        long last;
        try (WriteAheadLog log = WriteAheadLog.open(recording.workload.options(image))) {
            List<JournalEntry> entries = readAll(log, 1);
            last = entries.size();
            assertTrue(last >= required, "records 1.." + required + " were acknowledged but the log holds 1.." + last);
            recording.assertAppended(entries);
            if (appendAfter) {
                assertEquals(last + 1, log.append(7, new byte[] {7, 7, 7}).join(), "appends continue after the cut");
            }
        }
        if (appendAfter) {
            try (WriteAheadLog log = WriteAheadLog.open(recording.workload.options(image))) {
                List<JournalEntry> entries = readAll(log, 1);
                assertEquals(last + 1, entries.size());
                assertArrayEquals(new byte[] {7, 7, 7}, entries.getLast().payload());
            }
        }
    }

    /**
     * Flips a byte in an acknowledged record of the last segment that a record of a later sync round
     * follows, if the rebuilt files have one: open must refuse, naming the file and the record's offset,
     * and change nothing; repair must then cut the log back to before that record. Returns whether it
     * found such a record.
     */
    private static boolean damageAcknowledgedRecord(Recording recording, int cut, Path image, Random random)
            throws IOException {
        long acknowledged = recording.requiredAt(cut);
        List<Path> segments = SegmentFiles.list(image);
        if (segments.isEmpty()) {
            return false;
        }
        Path segment = segments.getLast();
        List<long[]> records = new ArrayList<>(); // {sequence, offset, end, syncRoundStart}
        try (SegmentReader reader = SegmentReader.open(segment, FileWindow.DEFAULT_CAPACITY)) {
            long expected = reader.header().firstSequence();
            while (reader.next(expected) == SegmentReader.Outcome.RECORD) {
                records.add(new long[] {expected, reader.recordOffset(), reader.offset(), reader.syncRoundStart()});
                expected++;
            }
        } catch (FormatException e) {
            throw new AssertionError(e);
        }
        long laterRoundStart = records.isEmpty() ? 0 : records.getLast()[3];
        List<long[]> candidates = records.stream()
                .filter(r -> r[0] <= acknowledged && r[0] < laterRoundStart).toList();
        if (candidates.isEmpty()) {
            return false;
        }
        long[] victim = candidates.get(random.nextInt(candidates.size()));
        byte[] bytes = Files.readAllBytes(segment);
        int at = (int) (victim[1] + random.nextInt((int) (victim[2] - victim[1])));
        bytes[at] ^= (byte) (1 << random.nextInt(8));
        Files.write(segment, bytes);

        WalOptions options = recording.workload.options(image);
        RuntimePlaneException error = assertThrows(RuntimePlaneException.class, () -> WriteAheadLog.open(options));
        assertEquals(ErrorCode.CORRUPTION, error.code(), error.getMessage());
        assertTrue(error.getMessage().contains(segment + " at byte offset " + victim[1]), error.getMessage());
        assertArrayEquals(bytes, Files.readAllBytes(segment), "a refused open changes nothing");

        WalMaintenance.repair(image);
        try (WriteAheadLog log = WriteAheadLog.open(options)) {
            List<JournalEntry> entries = readAll(log, 1);
            assertTrue(entries.size() < victim[0], "repair cut the log before the damaged record " + victim[0]);
            recording.assertAppended(entries);
        }
        return true;
    }

    private static AssertionError failure(long seed, int run, Workload workload, int cut, Recording recording,
                                          Path image, Throwable cause) throws IOException {
        Path kept = Path.of("target", "power-loss-failure-" + seed).toAbsolutePath();
        copyTree(image, kept);
        return new AssertionError("power-loss simulation failed with seed " + seed + " (rerun with -Dwal.powerLossSeed="
                + seed + "): run " + run + " " + workload + ", cut after event " + cut + " of "
                + recording.events.size() + "; the rebuilt files are kept in " + kept + ": " + cause, cause);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** The shape of one run. Small segments make the writer roll over several times in a run. */
    private record Workload(FsyncPolicy policy, long segmentSize, boolean preallocate, int appenders,
                            int appendsEach, int maxBatch, int maxPayload) {

        static Workload random(Random random) {
            int draw = random.nextInt(10);
            FsyncPolicy policy = draw < 7 ? FsyncPolicy.ALWAYS : draw < 9 ? FsyncPolicy.INTERVAL : FsyncPolicy.NONE;
            boolean rolls = random.nextBoolean();
            return new Workload(policy, rolls ? 16 << 10 : 256 << 10, random.nextInt(4) != 0, 2 + random.nextInt(5),
                    15 + random.nextInt(50), 1 + random.nextInt(6), rolls ? 1800 : random.nextBoolean() ? 300 : 6000);
        }

        Workload withPolicy(FsyncPolicy newPolicy) {
            return new Workload(newPolicy, segmentSize, preallocate, appenders, appendsEach, maxBatch, maxPayload);
        }

        WalOptions options(Path directory) {
            return builder(directory).build();
        }

        WalOptions recordingOptions(Path directory, InstrumentedChannel.Hooks hooks) {
            return builder(directory).channelOpener(InstrumentedChannel.opener(hooks)).build();
        }

        private WalOptions.Builder builder(Path directory) {
            return WalOptions.builder(directory).fsyncPolicy(policy).fsyncInterval(Duration.ofMillis(2))
                    .segmentSize(segmentSize).preallocate(preallocate);
        }
    }

    /** One entry of a run's timeline. */
    private sealed interface Event permits Opened, Wrote, Forced, Acknowledged, Flushed {
    }

    /** A channel was opened on a file with these contents. */
    private record Opened(int channel, String fileName, byte[] contents) implements Event {
    }

    private record Wrote(int channel, long position, byte[] bytes) implements Event {
    }

    /** A force on the channel returned: everything written to its file so far is durable. */
    private record Forced(int channel) implements Event {
    }

    /** An append's future completed with this sequence: it and every earlier record are acknowledged. */
    private record Acknowledged(long sequence) implements Event {
    }

    /** A flush returned that covered every record up to this sequence. */
    private record Flushed(long sequence) implements Event {
    }

    /** Records the writer's I/O and the appenders' acknowledgements in one timeline. */
    private static final class Recorder implements InstrumentedChannel.Hooks {
        final List<Event> events = new ArrayList<>();
        private final Map<InstrumentedChannel, Integer> channels = new IdentityHashMap<>();

        synchronized void add(Event event) {
            events.add(event);
        }

        @Override
        public synchronized void opened(InstrumentedChannel channel) throws IOException {
            channels.put(channel, channels.size());
            events.add(new Opened(channels.get(channel), channel.path().getFileName().toString(),
                    Files.readAllBytes(channel.path())));
        }

        @Override
        public synchronized void written(InstrumentedChannel channel, long position, ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            events.add(new Wrote(channels.get(channel), position, copy));
        }

        @Override
        public synchronized void forced(InstrumentedChannel channel) {
            events.add(new Forced(channels.get(channel)));
        }
    }

    /** A finished run: its timeline, and what was appended at each sequence. */
    private static final class Recording {
        final Workload workload;
        final List<Event> events;
        final Map<Long, JournalRecord> appended;
        final List<long[]> batches; // {first, last} of every atomic batch of two or more records

        private Recording(Workload workload, List<Event> events, Map<Long, JournalRecord> appended, List<long[]> batches) {
            this.workload = workload;
            this.events = events;
            this.appended = appended;
            this.batches = batches;
        }

        static Recording of(Workload workload, Path directory, long seed) throws Exception {
            Recorder recorder = new Recorder();
            Map<Long, JournalRecord> appended = new ConcurrentHashMap<>();
            List<long[]> batches = Collections.synchronizedList(new ArrayList<>());
            try (WriteAheadLog log = WriteAheadLog.open(workload.recordingOptions(directory, recorder));
                 ExecutorService appenders = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> done = new ArrayList<>();
                for (int writer = 0; writer < workload.appenders; writer++) {
                    Random random = new Random(seed + writer);
                    int id = writer;
                    done.add(appenders.submit(() -> {
                        append(log, workload, id, random, recorder, appended, batches);
                        return null;
                    }));
                }
                for (Future<?> appender : done) {
                    appender.get();
                }
            }
            return new Recording(workload, List.copyOf(recorder.events), Map.copyOf(appended), List.copyOf(batches));
        }

        private static void append(WriteAheadLog log, Workload workload, int writer, Random random, Recorder recorder,
                                   Map<Long, JournalRecord> appended, List<long[]> batches) {
            List<CompletableFuture<Long>> outstanding = new ArrayList<>();
            for (int counter = 0; counter < workload.appendsEach; counter++) {
                int size = random.nextInt(3) == 0 ? 1 + random.nextInt(workload.maxBatch) : 1;
                List<JournalRecord> records = new ArrayList<>(size);
                for (int index = 0; index < size; index++) {
                    int length = random.nextInt(4) == 0 ? random.nextInt(workload.maxPayload + 1) : random.nextInt(200);
                    records.add(new JournalRecord(writer + 1, WalFixtures.payload(writer, counter, index, size, length)));
                }
                CompletableFuture<Long> future = size == 1 ? log.append(writer + 1, records.getFirst().payload())
                        : log.appendBatch(records);
                outstanding.add(future.whenComplete((last, error) -> {
                    if (error == null) {
                        for (int index = 0; index < size; index++) {
                            appended.put(last - size + 1 + index, records.get(index));
                        }
                        if (size > 1) {
                            batches.add(new long[] {last - size + 1, last});
                        }
                        recorder.add(new Acknowledged(last));
                    }
                }));
                // Sometimes wait at once (a lone round), sometimes let a few appends pile up (bigger rounds).
                if (random.nextBoolean() || outstanding.size() >= 4) {
                    outstanding.forEach(CompletableFuture::join);
                    outstanding.clear();
                }
                if (workload.policy != FsyncPolicy.ALWAYS && random.nextInt(10) == 0) {
                    long upTo = log.lastSequence();
                    log.flush();
                    recorder.add(new Flushed(upTo));
                }
            }
            outstanding.forEach(CompletableFuture::join);
        }

        /**
         * A random moment of the timeline: half the time anywhere, half the time just after a write, when
         * something unforced is in flight (under ALWAYS most moments have nothing unforced).
         */
        int randomCut(Random random) {
            if (random.nextBoolean()) {
                return random.nextInt(events.size() + 1);
            }
            List<Integer> afterWrites = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i) instanceof Wrote) {
                    afterWrites.add(i + 1);
                }
            }
            return afterWrites.get(random.nextInt(afterWrites.size()));
        }

        /** The last sequence that must survive a power loss at {@code cut}: acknowledged, or under INTERVAL and NONE flushed. */
        long requiredAt(int cut) {
            long required = 0;
            for (Event event : events.subList(0, cut)) {
                long covered = switch (event) {
                    case Flushed flushed -> flushed.sequence();
                    case Acknowledged acknowledged when workload.policy == FsyncPolicy.ALWAYS -> acknowledged.sequence();
                    default -> 0;
                };
                required = Math.max(required, covered);
            }
            return required;
        }

        /** Asserts the entries are consecutive from 1, each exactly what was appended, batches whole. */
        void assertAppended(List<JournalEntry> entries) {
            assertConsecutive(entries, 1);
            for (JournalEntry entry : entries) {
                JournalRecord record = appended.get(entry.sequence());
                assertNotNull(record, "sequence " + entry.sequence() + " was never appended");
                assertEquals(record.type(), entry.type(), "type of sequence " + entry.sequence());
                assertArrayEquals(record.payload(), entry.payload(), "payload of sequence " + entry.sequence());
            }
            long last = entries.size();
            for (long[] batch : batches) {
                assertTrue(batch[0] > last || batch[1] <= last,
                        "batch " + batch[0] + ".." + batch[1] + " is cut at " + last);
            }
        }

        /** Writes into {@code image} the segment files a power loss after the first {@code cut} events could leave. */
        void materialize(int cut, Random random, Path image) throws IOException {
            Files.createDirectories(image);
            Map<Integer, FileHistory> files = new TreeMap<>();
            for (Event event : events.subList(0, cut)) {
                switch (event) {
                    case Opened opened -> files.put(opened.channel(), new FileHistory(opened));
                    case Wrote wrote -> files.get(wrote.channel()).writes.add(wrote);
                    case Forced forced -> files.get(forced.channel()).forced();
                    case Acknowledged _, Flushed _ -> { }
                }
            }
            for (FileHistory file : files.values()) {
                String name = file.segmentName();
                if (name != null && file.survivesUnder(random)) {
                    Files.write(image.resolve(name), file.afterPowerLoss(random));
                }
            }
        }
    }

    /** What one channel did to its file up to the cut. */
    private static final class FileHistory {
        final Opened opened;
        final List<Wrote> writes = new ArrayList<>();
        int durableWrites = -1; // writes covered by the last completed force; -1: never forced
        int writesAtFirstForce = -1;

        FileHistory(Opened opened) {
            this.opened = opened;
        }

        void forced() {
            durableWrites = writes.size();
            if (writesAtFirstForce < 0) {
                writesAtFirstForce = writes.size();
            }
        }

        boolean openedUnderFinalName() {
            return SegmentFiles.firstSequence(Path.of(opened.fileName())).isPresent();
        }

        /** The segment's final name: the one it was opened under, or the one its header names. */
        String segmentName() {
            if (openedUnderFinalName()) {
                return opened.fileName();
            }
            for (Wrote wrote : writes) {
                if (wrote.position() == 0 && wrote.bytes().length >= SegmentHeader.SIZE) {
                    try {
                        return SegmentFiles.name(SegmentHeader.decode(ByteBuffer.wrap(wrote.bytes())).firstSequence());
                    } catch (FormatException e) {
                        throw new AssertionError(e);
                    }
                }
            }
            return null;
        }

        /**
         * A new segment gets its final name only after its header is forced; until the writer has written
         * a record to it, the rename (or the directory fsync after it) may not be durable yet.
         */
        boolean survivesUnder(Random random) {
            if (openedUnderFinalName()) {
                return true;
            }
            if (writesAtFirstForce < 0) {
                return false;
            }
            return writes.size() > writesAtFirstForce || random.nextBoolean();
        }

        byte[] afterPowerLoss(Random random) {
            int forced = Math.max(durableWrites, 0);
            byte[] durable = apply(opened.contents(), writes.subList(0, forced));
            List<Wrote> pending = writes.subList(forced, writes.size());
            byte[] current = apply(durable, pending);
            if (pending.isEmpty()) {
                return current;
            }
            long roundStart = pending.stream().mapToLong(Wrote::position).min().orElseThrow();
            TreeSet<Long> pages = new TreeSet<>();
            for (Wrote wrote : pending) {
                for (long page = wrote.position() / PAGE; page <= (wrote.position() + wrote.bytes().length - 1) / PAGE; page++) {
                    pages.add(page);
                }
            }
            // Mostly independent fates; sometimes every page the same way, the extremes.
            int style = random.nextInt(6);
            byte[] result = current.clone();
            for (long page : pages) {
                int fate = style == 0 ? 0 : style == 1 ? 1 : random.nextInt(3);
                int from = (int) (page * PAGE);
                int to = Math.min(from + PAGE, result.length);
                switch (fate) {
                    case 0 -> { } // kept
                    case 1 -> {
                        for (int i = from; i < to; i++) {
                            result[i] = i < durable.length ? durable[i] : 0;
                        }
                    }
                    default -> {
                        for (int i = (int) Math.max(from, roundStart); i < to; i++) {
                            result[i] = (byte) random.nextInt(256);
                        }
                    }
                }
            }
            if (result.length > durable.length) {
                // A growing file: its new length may or may not have reached the disk, or only part of it.
                int draw = random.nextInt(3);
                int length = draw == 0 ? durable.length : draw == 1 ? result.length
                        : durable.length + random.nextInt(result.length - durable.length + 1);
                result = Arrays.copyOf(result, length);
            }
            return result;
        }

        private static byte[] apply(byte[] base, List<Wrote> writes) {
            long end = base.length;
            for (Wrote wrote : writes) {
                end = Math.max(end, wrote.position() + wrote.bytes().length);
            }
            byte[] result = Arrays.copyOf(base, (int) end);
            for (Wrote wrote : writes) {
                System.arraycopy(wrote.bytes(), 0, result, (int) wrote.position(), wrote.bytes().length);
            }
            return result;
        }
    }
}
