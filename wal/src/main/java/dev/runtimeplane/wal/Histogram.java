package dev.runtimeplane.wal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** A fixed-bucket histogram written by one thread (the writer) and read by any. */
final class Histogram {

    private final long[] upperBounds;
    private final AtomicLongArray counts;
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong sum = new AtomicLong();
    private final AtomicLong max = new AtomicLong();

    /** Buckets up to each of {@code bounds} (ascending), plus an open-ended last bucket. */
    Histogram(long... bounds) {
        upperBounds = new long[bounds.length + 1];
        System.arraycopy(bounds, 0, upperBounds, 0, bounds.length);
        upperBounds[bounds.length] = Long.MAX_VALUE;
        counts = new AtomicLongArray(upperBounds.length);
    }

    void record(long value) {
        int bucket = 0;
        while (value > upperBounds[bucket]) {
            bucket++;
        }
        counts.incrementAndGet(bucket);
        count.incrementAndGet();
        sum.addAndGet(value);
        if (value > max.get()) {
            max.set(value);
        }
    }

    WalMetrics.Distribution snapshot() {
        List<Long> bounds = new ArrayList<>(upperBounds.length);
        List<Long> perBucket = new ArrayList<>(upperBounds.length);
        for (int i = 0; i < upperBounds.length; i++) {
            bounds.add(upperBounds[i]);
            perBucket.add(counts.get(i));
        }
        return new WalMetrics.Distribution(count.get(), sum.get(), max.get(), bounds, perBucket);
    }
}
