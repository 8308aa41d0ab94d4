package dev.runtimeplane.wal;

import java.util.List;

/**
 * Counters and timings of a {@link WriteAheadLog} since it opened, for a metrics registry to read.
 *
 * @param appends       records written (and acknowledged under the policy)
 * @param bytes         bytes written for them, record headers included
 * @param fsyncNanos    latency of each data fdatasync, in nanoseconds
 * @param batchRecords  records per group commit (one write, at most one fdatasync)
 * @param overloaded    appends refused with {@code OVERLOADED} because the append queue was full
 */
public record WalMetrics(long appends, long bytes, Distribution fsyncNanos, Distribution batchRecords,
                         long overloaded) {

    /**
     * A histogram with fixed buckets, shaped for Prometheus-style registries.
     *
     * @param count        observations
     * @param sum          sum of the observed values
     * @param max          the largest observed value
     * @param upperBounds  inclusive upper bound of each bucket; the last is {@link Long#MAX_VALUE}
     * @param counts       observations per bucket (not cumulative), same length as {@code upperBounds}
     */
    public record Distribution(long count, long sum, long max, List<Long> upperBounds, List<Long> counts) {

        public Distribution {
            upperBounds = List.copyOf(upperBounds);
            counts = List.copyOf(counts);
            if (upperBounds.size() != counts.size()) {
                throw new IllegalArgumentException("one count per bucket");
            }
        }

        public double mean() {
            return count == 0 ? 0 : (double) sum / count;
        }

        /**
         * An upper estimate of the {@code quantile} (0..1): the bound of the bucket it falls in, or
         * {@link #max()} when that is lower or the bucket is the open-ended last one.
         */
        public long percentile(double quantile) {
            if (count == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(quantile * count);
            long seen = 0;
            for (int i = 0; i < counts.size(); i++) {
                seen += counts.get(i);
                if (seen >= Math.max(rank, 1)) {
                    return Math.min(upperBounds.get(i), max);
                }
            }
            return max;
        }
    }
}
