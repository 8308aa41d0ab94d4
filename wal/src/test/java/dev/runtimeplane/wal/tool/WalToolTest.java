package dev.runtimeplane.wal.tool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.wal.WalOptions;
import dev.runtimeplane.wal.WriteAheadLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator tool on real log directories: healthy, with a torn tail, with damage before the tail. */
class WalToolTest {

    private static final int SEGMENT_SIZE = 4096;
    private static final int PAYLOAD = 100;
    private static final int RECORD = 32 + PAYLOAD; // record header (format 2) + payload
    private static final int HEADER = 32;
    private static final int PER_SEGMENT = (SEGMENT_SIZE - HEADER) / RECORD;
    private static final int RECORDS = 3 * PER_SEGMENT + 10;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void writeFourSegments() {
        try (WriteAheadLog log = WriteAheadLog.open(options())) {
            for (int i = 1; i <= RECORDS; i++) {
                byte[] payload = new byte[PAYLOAD];
                Arrays.fill(payload, (byte) 'a');
                byte[] label = ("record " + i).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(label, 0, payload, 0, label.length);
                log.append(i % 5, payload);
            }
        }
    }

    private WalOptions options() {
        return WalOptions.builder(dir).segmentSize(SEGMENT_SIZE).build();
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return WalTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private Path segment(long firstSequence) {
        return dir.resolve(String.format("%020d.wal", firstSequence));
    }

    @Test
    void verifyListsTheSequenceRangeOfEachSegment() {
        assertEquals(0, run("verify", dir.toString()), stdout());
        assertTrue(stdout().contains("4 segment(s)"), stdout());
        assertTrue(stdout().contains("00000000000000000001.wal  sequences 1.." + PER_SEGMENT + " (" + PER_SEGMENT + " records)"),
                stdout());
        long lastFirst = 3L * PER_SEGMENT + 1;
        assertTrue(stdout().contains(String.format("%020d.wal  sequences %d..%d", lastFirst, lastFirst, RECORDS)), stdout());
        assertTrue(stdout().contains("OK: sequences 1.." + RECORDS), stdout());
    }

    @Test
    void dumpPrintsRecordsFromTheGivenSequence() {
        assertEquals(0, run("dump", dir.toString(), "--from", Integer.toString(RECORDS - 2)));
        List<String> lines = stdout().lines().toList();
        assertEquals(3, lines.size(), stdout());
        assertTrue(lines.getFirst().startsWith("seq=" + (RECORDS - 2) + " type=" + (RECORDS - 2) % 5 + " time="), lines.getFirst());
        assertTrue(lines.getFirst().contains("size=100 payload=\"record " + (RECORDS - 2) + "aaa"), lines.getFirst());
        assertTrue(lines.getLast().startsWith("seq=" + RECORDS + " "), lines.getLast());
    }

    @Test
    void aTornTailIsReportedAndRepairCutsItKeepingACopy() throws IOException {
        Path last = segment(3L * PER_SEGMENT + 1);
        byte[] before = Files.readAllBytes(last);
        int dataEnd = HEADER + (RECORDS - 3 * PER_SEGMENT) * RECORD; // zeros follow: the segment is preallocated
        int lastRecord = dataEnd - RECORD;
        int cut = dataEnd - RECORD / 2;
        Files.write(last, Arrays.copyOf(before, cut));

        assertEquals(0, run("verify", dir.toString()), stdout());
        assertTrue(stdout().contains("torn tail at byte " + lastRecord), stdout());
        assertTrue(stdout().contains("OK: sequences 1.." + (RECORDS - 1) + "; the torn tail is cut"), stdout());

        assertEquals(0, run("repair", dir.toString()), stdout());
        assertTrue(stdout().contains("cut " + last.getFileName() + " from byte " + lastRecord), stdout());
        assertTrue(stdout().contains("the log now ends at sequence " + (RECORDS - 1)), stdout());
        Path copy = onlyRepairCopy();
        assertArrayEquals(Arrays.copyOfRange(before, lastRecord, cut), Files.readAllBytes(copy));

        assertEquals(0, run("verify", dir.toString()));
        assertFalse(stdout().contains("torn"), stdout());
        assertEquals(0, run("repair", dir.toString()));
        assertTrue(stdout().contains("nothing to repair"), stdout());
    }

    @Test
    void damageBeforeTheTailFailsVerifyAndRepairCutsFromThereKeepingEverything() throws IOException {
        Path damaged = segment(PER_SEGMENT + 1L);
        byte[] original = Files.readAllBytes(damaged);
        int fifthRecord = HEADER + 4 * RECORD;
        byte[] bytes = original.clone();
        bytes[fifthRecord + 40] ^= 0x10;
        Files.write(damaged, bytes);

        assertEquals(1, run("verify", dir.toString()), stdout());
        assertTrue(stdout().contains("DAMAGED: " + damaged + " at byte offset " + fifthRecord + ": checksum mismatch"), stdout());
        assertTrue(stdout().contains("cuts the log back to sequence " + (PER_SEGMENT + 4)), stdout());

        assertEquals(0, run("dump", dir.toString()));
        assertEquals(PER_SEGMENT + 4, stdout().lines().count(), "dump stops before the damage");

        assertEquals(0, run("repair", dir.toString()), stdout());
        assertTrue(stdout().contains("cut " + damaged.getFileName() + " from byte " + fifthRecord), stdout());
        assertTrue(stdout().contains("moved out " + segment(2L * PER_SEGMENT + 1).getFileName()), stdout());
        assertTrue(stdout().contains("moved out " + segment(3L * PER_SEGMENT + 1).getFileName()), stdout());
        Path backup = onlyRepairCopy().getParent();
        assertArrayEquals(Arrays.copyOfRange(bytes, fifthRecord, bytes.length),
                Files.readAllBytes(backup.resolve(damaged.getFileName() + ".from-" + fifthRecord)));
        assertTrue(Files.exists(backup.resolve(segment(3L * PER_SEGMENT + 1).getFileName())));

        try (WriteAheadLog log = WriteAheadLog.open(options())) {
            assertEquals(PER_SEGMENT + 4, log.lastSequence());
            assertEquals(PER_SEGMENT + 5L, log.append(1, new byte[] {1}).join());
        }
    }

    @Test
    void repairOfADamagedOnlyHeaderKeepsTheSequenceGoing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".wal")).toList()) {
                if (!file.equals(segment(1))) {
                    Files.delete(file);
                }
            }
        }
        Path only = segment(1);
        byte[] bytes = Files.readAllBytes(only);
        bytes[0] = 'X';
        Files.write(only, bytes);
        assertEquals(1, run("verify", dir.toString()));
        assertTrue(stdout().contains("bad magic"), stdout());

        assertEquals(0, run("repair", dir.toString()), stdout());
        assertTrue(stdout().contains("moved out 00000000000000000001.wal"), stdout());
        try (WriteAheadLog log = WriteAheadLog.open(options())) {
            assertEquals(0, log.lastSequence());
            assertEquals(1L, log.append(1, new byte[] {1}).join());
        }
    }

    private Path onlyRepairCopy() throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            Path backup = entries.filter(entry -> entry.getFileName().toString().startsWith("repair-")).findFirst().orElseThrow();
            try (Stream<Path> copies = Files.list(backup)) {
                return copies.findFirst().orElseThrow();
            }
        }
    }

    @Test
    void usageAndMissingDirectoriesExitWithTwo() {
        assertEquals(2, run());
        assertEquals(2, run("verify"));
        assertEquals(2, run("explode", dir.toString()));
        assertEquals(2, run("verify", dir.resolve("missing").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no such directory"));
        assertEquals(2, run("dump", dir.toString(), "--from", "x"));
    }
}
