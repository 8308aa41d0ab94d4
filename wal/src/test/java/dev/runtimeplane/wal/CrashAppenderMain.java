package dev.runtimeplane.wal;

import dev.runtimeplane.core.port.JournalRecord;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child JVM for the crash test: appends forever from several virtual threads (singles and atomic
 * batches of three) and prints one line per acknowledged append: {@code ack LAST_SEQUENCE WRITER COUNTER
 * BATCH_SIZE .} The parent kills it with SIGKILL at a random moment.
 *
 * <p>Arguments: directory, fsync policy, segment size, writer id base (unique per run).
 */
public final class CrashAppenderMain {

    private static final int APPENDERS = 8;

    private CrashAppenderMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        WalOptions options = WalOptions.builder(Path.of(args[0])).fsyncPolicy(FsyncPolicy.valueOf(args[1]))
                .fsyncInterval(java.time.Duration.ofMillis(50)).segmentSize(Long.parseLong(args[2])).build();
        int writerBase = Integer.parseInt(args[3]);
        PrintStream out = System.out;
        WriteAheadLog log = WriteAheadLog.open(options);
        out.println("ready");
        out.flush();
        List<Thread> appenders = new ArrayList<>();
        for (int i = 0; i < APPENDERS; i++) {
            int writer = writerBase + i;
            appenders.add(Thread.ofVirtual().start(() -> appendForever(log, writer, out)));
        }
        for (Thread appender : appenders) {
            appender.join();
        }
    }

    private static void appendForever(WriteAheadLog log, int writer, PrintStream out) {
        for (int counter = 0; ; counter++) {
            int batchSize = counter % 7 == 6 ? 3 : 1;
            long last;
            if (batchSize == 1) {
                last = log.append(writer % 65536, WalFixtures.payload(writer, counter, 0, 1, 100)).join();
            } else {
                List<JournalRecord> batch = new ArrayList<>();
                for (int index = 0; index < batchSize; index++) {
                    batch.add(new JournalRecord(writer % 65536, WalFixtures.payload(writer, counter, index, batchSize, 100)));
                }
                last = log.appendBatch(batch).join();
            }
            synchronized (out) {
                out.println("ack " + last + " " + writer + " " + counter + " " + batchSize + " .");
                out.flush();
            }
        }
    }
}
