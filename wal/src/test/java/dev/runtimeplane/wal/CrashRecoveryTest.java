package dev.runtimeplane.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.port.JournalEntry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends and reports each acknowledged sequence; it is killed with SIGKILL at random
 * moments. After every kill the log must reopen with every acknowledged record present and intact, no
 * gap in the sequence, and every atomic batch whole.
 *
 * <p>SIGKILL kills the process, not the machine: what reached the page cache survives. So records
 * acknowledged after their write (INTERVAL, NONE) must survive too, and are checked as well.
 */
class CrashRecoveryTest {

    private static final long SEGMENT_SIZE = 64 << 10;

    @TempDir
    Path dir;

    /** seq -> {writer, counter, index, batchSize} for every record acknowledged by any run so far. */
    private final Map<Long, int[]> acknowledged = new HashMap<>();
    private final Random random = new Random();

    @Test
    void alwaysSurvivesTwentyFourKills() throws Exception {
        crashRepeatedly(FsyncPolicy.ALWAYS, 24);
    }

    @Test
    void intervalSurvivesKills() throws Exception {
        crashRepeatedly(FsyncPolicy.INTERVAL, 5);
    }

    @Test
    void noneSurvivesKills() throws Exception {
        crashRepeatedly(FsyncPolicy.NONE, 5);
    }

    private void crashRepeatedly(FsyncPolicy policy, int kills) throws Exception {
        int killsWhileAppending = 0;
        for (int round = 0; round < kills; round++) {
            // Every sixth round is killed at a random moment of start-up (JVM start, lock, recovery).
            boolean duringStartup = round % 6 == 5;
            try (ChildJvm child = ChildJvm.start(CrashAppenderMain.class, dir.toString(), policy.name(),
                    Long.toString(SEGMENT_SIZE), Integer.toString(round * 100))) {
                if (duringStartup) {
                    Thread.sleep(50 + random.nextInt(600));
                } else {
                    assertTrue(child.awaitLine("ready", 60, TimeUnit.SECONDS), "round " + round + ": child opened the log");
                    Thread.sleep(30 + random.nextInt(400));
                    assertTrue(child.isAlive(), "round " + round + ": still appending when killed");
                    killsWhileAppending++;
                }
                child.kill();
                recordAcknowledgements(child.drainLines());
            }
            verifyLog(policy + " round " + round);
        }
        assertTrue(killsWhileAppending >= kills * 4 / 5);
        assertTrue(acknowledged.size() > kills, "the children acknowledged appends: " + acknowledged.size());
    }

    private void recordAcknowledgements(List<String> lines) {
        for (String line : lines) {
            String[] fields = line.split(" ");
            if (fields.length != 6 || !fields[0].equals("ack") || !fields[5].equals(".")) {
                continue; // "ready", or a line cut short by the kill
            }
            long last = Long.parseLong(fields[1]);
            int writer = Integer.parseInt(fields[2]);
            int counter = Integer.parseInt(fields[3]);
            int batchSize = Integer.parseInt(fields[4]);
            for (int index = 0; index < batchSize; index++) {
                acknowledged.put(last - batchSize + 1 + index, new int[] {writer, counter, index, batchSize});
            }
        }
    }

    private void verifyLog(String context) {
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).segmentSize(SEGMENT_SIZE).build())) {
            List<JournalEntry> entries = WalFixtures.readAll(log, 1);
            WalFixtures.assertConsecutive(entries, 1);
            assertEquals(entries.size(), log.lastSequence(), context);
            for (Map.Entry<Long, int[]> ack : acknowledged.entrySet()) {
                long sequence = ack.getKey();
                assertTrue(sequence <= entries.size(), context + ": acknowledged sequence " + sequence
                        + " lost; the log ends at " + entries.size());
                int[] ids = WalFixtures.checkPayload(entries.get((int) sequence - 1).payload());
                assertArrayEquals(ack.getValue(), ids, context + ": record " + sequence + " is the one acknowledged");
            }
            for (JournalEntry entry : entries) {
                int[] ids = WalFixtures.checkPayload(entry.payload());
                long batchFirst = entry.sequence() - ids[2];
                long batchLast = batchFirst + ids[3] - 1;
                assertTrue(batchLast <= entries.size(), context + ": batch ending at " + batchLast + " is cut");
                for (long sequence = batchFirst; sequence <= batchLast; sequence++) {
                    int[] member = WalFixtures.checkPayload(entries.get((int) sequence - 1).payload());
                    assertEquals(ids[0], member[0], context + ": batch member " + sequence);
                    assertEquals(ids[1], member[1], context + ": batch member " + sequence);
                }
            }
        }
    }
}
