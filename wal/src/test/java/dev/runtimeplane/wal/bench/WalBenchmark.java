package dev.runtimeplane.wal.bench;

import dev.runtimeplane.core.port.JournalEntry;
import dev.runtimeplane.wal.FsyncPolicy;
import dev.runtimeplane.wal.WalMetrics;
import dev.runtimeplane.wal.WalOptions;
import dev.runtimeplane.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Prints the write-ahead log's figures beside the disk's own fsync baseline, measured in the same run.
 *
 * <pre>
 * ./mvnw -q -pl wal exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.runtimeplane.wal.bench.WalBenchmark
 *        [-Dexec.args="--dir /path/on/the/disk --seconds 5 --replay-records 1000000"]
 * </pre>
 *
 * Appenders are virtual threads in a closed loop: each waits for its acknowledgement before its next
 * append. Not a test: nothing is asserted.
 */
public final class WalBenchmark {

    private static final int RECORD_BYTES = 256;

    private final Path root;
    private final int seconds;
    private final int replayRecords;

    private WalBenchmark(Path root, int seconds, int replayRecords) {
        this.root = root;
        this.seconds = seconds;
        this.replayRecords = replayRecords;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        int seconds = 5;
        int replayRecords = 1_000_000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--replay-records" -> replayRecords = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path root = Files.createTempDirectory(dir, "wal-bench-");
        try {
            new WalBenchmark(root, seconds, replayRecords).run();
        } finally {
            deleteRecursively(root);
        }
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "WAL benchmark: %d cores, Java %s, directory %s, %d s per run, %d-byte records%n%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), root, seconds, RECORD_BYTES);

        System.out.println("== disk baseline: 4 KiB write + fdatasync per iteration (one durable append, alone)");
        Latencies growing = javaFsyncLoop(false);
        printBaseline("java loop, file grows (write + force(false))", growing);
        Latencies overwriting = javaFsyncLoop(true);
        printBaseline("java loop, zero-filled file (as WAL segments)", overwriting);
        double fioP50 = fio(false);
        fio(true);

        System.out.println();
        System.out.println("== ALWAYS (group commit): durable appends, each appender waits for its acknowledgement");
        Latencies single = appendRun(FsyncPolicy.ALWAYS, 1, RECORD_BYTES);
        appendRun(FsyncPolicy.ALWAYS, 16, RECORD_BYTES);
        Latencies sixtyFour = appendRun(FsyncPolicy.ALWAYS, 64, RECORD_BYTES);
        System.out.printf(Locale.ROOT, "  targets: 64 appenders %,.0f appends/s (target >= 200,000); 1 appender p50 %.1f us ="
                        + " %.2fx the disk's fdatasync p50 (%.1f us by fio, else the java loop; target <= 1.5x)%n",
                sixtyFour.count() / sixtyFour.seconds(), single.percentileMicros(0.5),
                single.percentileMicros(0.5) / baselineP50(fioP50, growing), baselineP50(fioP50, growing));

        System.out.println();
        System.out.println("== NONE: appends acknowledged after the write (the OS writes back)");
        appendRun(FsyncPolicy.NONE, 64, RECORD_BYTES);
        appendRun(FsyncPolicy.NONE, 16, 4096);

        System.out.println();
        System.out.println("== replay");
        replay();
    }

    /** 4 KiB writes, each followed by force(false); into a new file, or over one zero-filled first. */
    private Latencies javaFsyncLoop(boolean zeroFilledFirst) throws IOException {
        Path file = root.resolve("baseline.dat");
        ByteBuffer block = ByteBuffer.allocateDirect(4096);
        int iterations = 4096; // 16 MiB
        Latencies latencies = new Latencies();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            if (zeroFilledFirst) {
                for (long position = 0; position < (long) iterations * block.capacity(); ) {
                    block.clear();
                    position += channel.write(block, position);
                }
                channel.force(true);
            }
            long begin = System.nanoTime();
            long position = 0;
            for (int i = 0; i < iterations; i++) {
                long start = System.nanoTime();
                block.clear();
                while (block.hasRemaining()) {
                    position += channel.write(block, position);
                }
                channel.force(false);
                latencies.add(System.nanoTime() - start);
            }
            latencies.elapsed(System.nanoTime() - begin);
        } finally {
            Files.deleteIfExists(file);
        }
        return latencies;
    }

    private static double baselineP50(double fioP50, Latencies javaLoop) {
        return Double.isNaN(fioP50) ? javaLoop.percentileMicros(0.5) : fioP50;
    }

    private static void printBaseline(String what, Latencies latencies) {
        System.out.printf(Locale.ROOT, "  %-52s %,9.0f ops/s  p50 %6.1f us  p99 %6.1f us%n", what,
                latencies.count() / latencies.seconds(), latencies.percentileMicros(0.50), latencies.percentileMicros(0.99));
    }

    /**
     * Runs fio's 4 KiB write + fdatasync job when fio is installed and prints IOPS and fdatasync latency.
     * fio lays the file out first (fallocate: unwritten extents); with {@code --overwrite=1} it fills it
     * with zeros first, like the WAL's preallocated segments.
     */
    private double fio(boolean overwrite) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("fio", "--name=wal-baseline", "--directory=" + root, "--rw=write",
                "--bs=4k", "--size=64m", "--fdatasync=1", "--ioengine=sync", "--output-format=json"));
        if (overwrite) {
            command.add("--overwrite=1");
        }
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException notInstalled) {
            System.out.println("  fio: not on the PATH, skipped");
            return Double.NaN;
        }
        String json = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher iops = Pattern.compile("\"write\"\\s*:\\s*\\{.*?\"iops\"\\s*:\\s*([0-9.]+)", Pattern.DOTALL).matcher(json);
        Matcher sync = Pattern.compile("\"sync\"\\s*:\\s*\\{.*?\"50\\.000000\"\\s*:\\s*(\\d+).*?\"99\\.000000\"\\s*:\\s*(\\d+)",
                Pattern.DOTALL).matcher(json);
        String label = "fio --rw=write --bs=4k --fdatasync=1" + (overwrite ? " --overwrite=1" : "");
        double p50 = Double.NaN;
        if (iops.find() && sync.find()) {
            p50 = Long.parseLong(sync.group(1)) / 1000.0;
            System.out.printf(Locale.ROOT, "  %-52s %,9.0f ops/s  p50 %6.1f us  p99 %6.1f us (fdatasync only)%n", label,
                    Double.parseDouble(iops.group(1)), Long.parseLong(sync.group(1)) / 1000.0,
                    Long.parseLong(sync.group(2)) / 1000.0);
        } else {
            System.out.println("  " + label + ": could not read its output (exit " + process.exitValue() + ")");
        }
        try (Stream<Path> files = Files.list(root)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("wal-baseline")).toList()) {
                Files.delete(file);
            }
        }
        return p50;
    }

    private Latencies appendRun(FsyncPolicy policy, int appenders, int recordBytes) throws Exception {
        Path dir = Files.createDirectory(root.resolve(policy + "-" + appenders + "-" + recordBytes));
        Latencies latencies;
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).fsyncPolicy(policy).build())) {
            closedLoop(log, appenders, recordBytes, 1); // warm-up
            WalMetrics before = log.metrics();
            latencies = closedLoop(log, appenders, recordBytes, seconds);
            WalMetrics after = log.metrics();
            long fsyncs = after.fsyncNanos().count() - before.fsyncNanos().count();
            long batches = after.batchRecords().count() - before.batchRecords().count();
            double perSecond = latencies.count() / latencies.seconds();
            System.out.printf(Locale.ROOT,
                    "  %-8s %2d appender(s) %5d B: %,10.0f appends/s %8.1f MB/s  p50 %7.1f us  p99 %7.1f us"
                            + "  | %,7.0f fsyncs/s, %5.1f records/batch, fsync mean %5.1f us%n",
                    policy, appenders, recordBytes, perSecond, perSecond * recordBytes / 1e6,
                    latencies.percentileMicros(0.50), latencies.percentileMicros(0.99),
                    fsyncs / latencies.seconds(),
                    batches == 0 ? 0 : (double) latencies.count() / batches,
                    fsyncs == 0 ? 0 : (after.fsyncNanos().sum() - before.fsyncNanos().sum()) / 1000.0 / fsyncs);
        }
        deleteRecursively(dir);
        return latencies;
    }

    private static Latencies closedLoop(WriteAheadLog log, int appenders, int recordBytes, int runSeconds)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        List<Latencies> perAppender = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long begin = System.nanoTime();
        for (int i = 0; i < appenders; i++) {
            Latencies latencies = new Latencies();
            perAppender.add(latencies);
            byte[] payload = new byte[recordBytes];
            Arrays.fill(payload, (byte) i);
            threads.add(Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    long start = System.nanoTime();
                    log.append(1, payload).join();
                    latencies.add(System.nanoTime() - start);
                }
            }));
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(runSeconds));
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        Latencies all = Latencies.merge(perAppender);
        all.elapsed(System.nanoTime() - begin);
        return all;
    }

    private void replay() throws IOException {
        Path dir = Files.createDirectory(root.resolve("replay"));
        byte[] payload = new byte[RECORD_BYTES];
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).fsyncPolicy(FsyncPolicy.NONE).build())) {
            for (int i = 1; i <= replayRecords; i++) {
                CompletableFuture<Long> appended = log.append(1, payload);
                if (i % 10_000 == 0) {
                    appended.join(); // keep the queue, and the garbage, small
                }
            }
            log.flush();
            System.gc();
            for (int run = 1; run <= 3; run++) {
                long begin = System.nanoTime();
                long count;
                long bytes;
                try (Stream<JournalEntry> entries = log.replay(1)) {
                    long[] totals = new long[2];
                    entries.forEach(entry -> {
                        totals[0]++;
                        totals[1] += entry.payload().length;
                    });
                    count = totals[0];
                    bytes = totals[1];
                }
                double elapsed = (System.nanoTime() - begin) / 1e9;
                System.out.printf(Locale.ROOT, "  replay run %d%s: %,d records in %.3f s: %,10.0f records/s %8.1f MB/s of payload%n",
                        run, run == 1 ? " (cold: JIT still compiling)" : "", count, elapsed, count / elapsed, bytes / elapsed / 1e6);
            }
        }
        deleteRecursively(dir);
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path entry : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(entry);
            }
        }
    }

    /** Latency samples in nanoseconds, appended by one thread. */
    private static final class Latencies {
        private long[] samples = new long[1 << 16];
        private int size;
        private long elapsedNanos;

        void add(long nanos) {
            if (size == samples.length) {
                samples = Arrays.copyOf(samples, size * 2);
            }
            samples[size++] = nanos;
        }

        void elapsed(long nanos) {
            elapsedNanos = nanos;
        }

        long count() {
            return size;
        }

        double seconds() {
            return elapsedNanos / 1e9;
        }

        double percentileMicros(double quantile) {
            if (size == 0) {
                return 0;
            }
            long[] sorted = Arrays.copyOf(samples, size);
            Arrays.sort(sorted);
            return sorted[(int) Math.min(size - 1, Math.ceil(quantile * size) - 1)] / 1000.0;
        }

        static Latencies merge(List<Latencies> parts) {
            Latencies merged = new Latencies();
            for (Latencies part : parts) {
                for (int i = 0; i < part.size; i++) {
                    merged.add(part.samples[i]);
                }
            }
            return merged;
        }
    }
}
