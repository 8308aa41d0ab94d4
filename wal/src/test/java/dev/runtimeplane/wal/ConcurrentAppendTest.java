package dev.runtimeplane.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.port.JournalEntry;
import dev.runtimeplane.core.port.JournalRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentAppendTest {

    private static final int APPENDERS = 64;
    private static final int OPERATIONS = 150;

    @TempDir
    Path dir;

    @Test
    void sixtyFourAppendersGetUniqueGaplessSequencesInTheirOwnOrder() throws Exception {
        Map<Long, int[]> acknowledged = new ConcurrentHashMap<>();
        WalOptions options = WalOptions.builder(dir).segmentSize(64 << 10).build();
        try (WriteAheadLog log = WriteAheadLog.open(options);
             ExecutorService appenders = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int writer = 0; writer < APPENDERS; writer++) {
                int id = writer;
                results.add(appenders.submit(() -> {
                    start.await();
                    List<Long> sequences = new ArrayList<>();
                    for (int counter = 0; counter < OPERATIONS; counter++) {
                        long last = counter % 10 == 9 ? appendBatchOfThree(log, id, counter)
                                : log.append(id, WalFixtures.payload(id, counter, 0, 1, 64 + counter % 32)).join();
                        acknowledged.put(last, new int[] {id, counter});
                        sequences.add(last);
                    }
                    return sequences;
                }));
            }
            start.countDown();
            for (Future<List<Long>> result : results) {
                List<Long> sequences = result.get();
                for (int i = 1; i < sequences.size(); i++) {
                    assertTrue(sequences.get(i) > sequences.get(i - 1), "each appender sees increasing sequences");
                }
            }
            long records = (long) APPENDERS * OPERATIONS + 2L * APPENDERS * (OPERATIONS / 10);
            assertEquals(records, log.lastSequence());
            assertEquals(records, log.metrics().appends());
            assertTrue(log.metrics().batchRecords().count() < records, "appenders shared group commits");
        }
        try (WriteAheadLog log = WriteAheadLog.open(options)) {
            List<JournalEntry> entries = WalFixtures.readAll(log, 1);
            WalFixtures.assertConsecutive(entries, 1);
            Map<Integer, Integer> nextCounter = new HashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                JournalEntry entry = entries.get(i);
                int[] ids = WalFixtures.checkPayload(entry.payload());
                assertEquals(ids[0], entry.type());
                if (ids[2] == 0) {
                    assertEquals(nextCounter.getOrDefault(ids[0], 0), ids[1], "appender " + ids[0] + " in its own order");
                    nextCounter.put(ids[0], ids[1] + 1);
                }
                if (ids[2] == ids[3] - 1) {
                    assertEquals(ids[0], acknowledged.get(entry.sequence())[0], "acknowledged sequence " + entry.sequence());
                    assertEquals(ids[1], acknowledged.get(entry.sequence())[1]);
                }
            }
            assertEquals(acknowledged.size(), APPENDERS * OPERATIONS);
        }
    }

    private static long appendBatchOfThree(WriteAheadLog log, int id, int counter) {
        List<JournalRecord> batch = new ArrayList<>();
        for (int index = 0; index < 3; index++) {
            batch.add(new JournalRecord(id, WalFixtures.payload(id, counter, index, 3, 40)));
        }
        return log.appendBatch(batch).join();
    }
}
