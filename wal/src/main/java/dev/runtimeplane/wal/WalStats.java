package dev.runtimeplane.wal;

import java.util.concurrent.atomic.AtomicLong;

/** The writer's counters behind {@link WalMetrics}. */
final class WalStats {

    private static final long MICROS = 1_000;
    private static final long MILLIS = 1_000_000;

    private final AtomicLong appends = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final Histogram fsyncNanos = new Histogram(
            25 * MICROS, 50 * MICROS, 100 * MICROS, 150 * MICROS, 200 * MICROS, 300 * MICROS, 500 * MICROS,
            750 * MICROS, MILLIS, 2 * MILLIS, 5 * MILLIS, 10 * MILLIS, 25 * MILLIS, 50 * MILLIS, 100 * MILLIS,
            250 * MILLIS, 500 * MILLIS, 1_000 * MILLIS);
    private final Histogram batchRecords = new Histogram(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 16384);

    void recordGroup(int records, long groupBytes) {
        appends.addAndGet(records);
        bytes.addAndGet(groupBytes);
        batchRecords.record(records);
    }

    void recordFsync(long nanos) {
        fsyncNanos.record(nanos);
    }

    WalMetrics snapshot(long overloaded) {
        return new WalMetrics(appends.get(), bytes.get(), fsyncNanos.snapshot(), batchRecords.snapshot(), overloaded);
    }
}
