package dev.runtimeplane.wal;

import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.time.RuntimeClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/** Settings of a {@link WriteAheadLog}. Build with {@link #builder(Path)}. */
public final class WalOptions {

    public static final long DEFAULT_SEGMENT_SIZE = 64L << 20;
    public static final int DEFAULT_MAX_RECORD_SIZE = 4 << 20;
    public static final Duration DEFAULT_FSYNC_INTERVAL = Duration.ofSeconds(1);
    public static final long DEFAULT_MAX_PENDING_BYTES = 64L << 20;
    public static final int DEFAULT_MAX_PENDING_APPENDS = 65_536;
    public static final long MIN_SEGMENT_SIZE = 4L << 10;
    /** Segments stay below 1 GiB so that offsets inside one stay small and a scan stays short. */
    public static final long MAX_SEGMENT_SIZE = 1L << 30;

    private final Path directory;
    private final FsyncPolicy fsyncPolicy;
    private final Duration fsyncInterval;
    private final long segmentSize;
    private final int maxRecordSize;
    private final boolean preallocate;
    private final long maxPendingBytes;
    private final int maxPendingAppends;
    private final RuntimeClock clock;
    private final ChannelOpener channelOpener;

    private WalOptions(Builder builder, int maxRecordSize) {
        this.directory = builder.directory;
        this.fsyncPolicy = builder.fsyncPolicy;
        this.fsyncInterval = builder.fsyncInterval;
        this.segmentSize = builder.segmentSize;
        this.maxRecordSize = maxRecordSize;
        this.preallocate = builder.preallocate;
        this.maxPendingBytes = builder.maxPendingBytes;
        this.maxPendingAppends = builder.maxPendingAppends;
        this.clock = builder.clock;
        this.channelOpener = builder.channelOpener;
    }

    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** The directory holding the segment files and the {@code LOCK} file; created when missing. */
    public Path directory() {
        return directory;
    }

    public FsyncPolicy fsyncPolicy() {
        return fsyncPolicy;
    }

    /** How often {@link FsyncPolicy#INTERVAL} forces. */
    public Duration fsyncInterval() {
        return fsyncInterval;
    }

    /** The size at which the writer starts a new segment file. */
    public long segmentSize() {
        return segmentSize;
    }

    /**
     * The largest payload one record may carry, in bytes: {@link #DEFAULT_MAX_RECORD_SIZE} unless set, or
     * less when the segment is too small to hold that much.
     */
    public int maxRecordSize() {
        return maxRecordSize;
    }

    /**
     * Whether segments are zero-filled to their full size before use (default true). Appends then
     * overwrite allocated blocks and each fdatasync has no file-size change to journal, which makes it
     * markedly cheaper on ext4 and XFS. Costs writing each segment twice; pointless on copy-on-write
     * filesystems.
     */
    public boolean preallocate() {
        return preallocate;
    }

    /**
     * The most bytes (records with their headers) that may wait for the writer, the group being written
     * included: {@link #DEFAULT_MAX_PENDING_BYTES} unless set. An append that would pass it is refused at
     * once with {@code OVERLOADED}; a batch larger than it is {@code TOO_LARGE}.
     */
    public long maxPendingBytes() {
        return maxPendingBytes;
    }

    /**
     * The most appends (a single record or a batch each) that may wait for the writer, the group being
     * written included: {@link #DEFAULT_MAX_PENDING_APPENDS} unless set. It bounds the memory of many
     * tiny appends, which the byte bound alone would not. Past it appends are refused with {@code OVERLOADED}.
     */
    public int maxPendingAppends() {
        return maxPendingAppends;
    }

    /** The clock for record timestamps, fsync ages and latencies. */
    public RuntimeClock clock() {
        return clock;
    }

    ChannelOpener channelOpener() {
        return channelOpener;
    }

    /** The most record bytes (headers included) one segment holds; an atomic batch must fit in it. */
    long segmentCapacity() {
        return segmentSize - SegmentHeader.SIZE;
    }

    /** The largest atomic batch, headers included: it must fit in a segment and within the pending bound. */
    long maxBatchSize() {
        return Math.min(segmentCapacity(), maxPendingBytes);
    }

    @Override
    public String toString() {
        return "WalOptions[directory=" + directory + ", fsyncPolicy=" + fsyncPolicy + ", fsyncInterval=" + fsyncInterval
                + ", segmentSize=" + segmentSize + ", maxRecordSize=" + maxRecordSize + ", preallocate=" + preallocate
                + ", maxPendingBytes=" + maxPendingBytes + ", maxPendingAppends=" + maxPendingAppends + "]";
    }

    public static final class Builder {
        private final Path directory;
        private FsyncPolicy fsyncPolicy = FsyncPolicy.ALWAYS;
        private Duration fsyncInterval = DEFAULT_FSYNC_INTERVAL;
        private long segmentSize = DEFAULT_SEGMENT_SIZE;
        private Integer maxRecordSize;
        private boolean preallocate = true;
        private long maxPendingBytes = DEFAULT_MAX_PENDING_BYTES;
        private int maxPendingAppends = DEFAULT_MAX_PENDING_APPENDS;
        private RuntimeClock clock = RuntimeClock.system();
        private ChannelOpener channelOpener = ChannelOpener.FILE_CHANNEL;

        private Builder(Path directory) {
            if (directory == null) {
                throw new InvalidArgumentException("directory", "the WAL directory is required");
            }
            this.directory = directory;
        }

        public Builder fsyncPolicy(FsyncPolicy fsyncPolicy) {
            this.fsyncPolicy = Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
            return this;
        }

        public Builder fsyncInterval(Duration fsyncInterval) {
            if (fsyncInterval == null || fsyncInterval.isNegative() || fsyncInterval.isZero()) {
                throw new InvalidArgumentException("fsyncInterval", "fsyncInterval must be positive, was " + fsyncInterval);
            }
            this.fsyncInterval = fsyncInterval;
            return this;
        }

        public Builder segmentSize(long segmentSize) {
            if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
                throw new InvalidArgumentException("segmentSize", "segmentSize must be between " + MIN_SEGMENT_SIZE
                        + " and " + MAX_SEGMENT_SIZE + " bytes, was " + segmentSize);
            }
            this.segmentSize = segmentSize;
            return this;
        }

        public Builder maxRecordSize(int maxRecordSize) {
            if (maxRecordSize < 1) {
                throw new InvalidArgumentException("maxRecordSize", "maxRecordSize must be positive, was " + maxRecordSize);
            }
            this.maxRecordSize = maxRecordSize;
            return this;
        }

        public Builder preallocate(boolean preallocate) {
            this.preallocate = preallocate;
            return this;
        }

        public Builder maxPendingBytes(long maxPendingBytes) {
            if (maxPendingBytes < 1) {
                throw new InvalidArgumentException("maxPendingBytes", "maxPendingBytes must be positive, was " + maxPendingBytes);
            }
            this.maxPendingBytes = maxPendingBytes;
            return this;
        }

        public Builder maxPendingAppends(int maxPendingAppends) {
            if (maxPendingAppends < 1) {
                throw new InvalidArgumentException("maxPendingAppends", "maxPendingAppends must be positive, was "
                        + maxPendingAppends);
            }
            this.maxPendingAppends = maxPendingAppends;
            return this;
        }

        public Builder clock(RuntimeClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        Builder channelOpener(ChannelOpener channelOpener) {
            this.channelOpener = Objects.requireNonNull(channelOpener, "channelOpener");
            return this;
        }

        /**
         * Checks the settings together: a record of the maximum size must fit in an empty segment and
         * within the pending bound.
         */
        public WalOptions build() {
            long fitsInSegment = segmentSize - SegmentHeader.SIZE - RecordFormat.HEADER_SIZE;
            long fitsInQueue = maxPendingBytes - RecordFormat.HEADER_SIZE;
            if (fitsInQueue < 1) {
                throw new InvalidArgumentException("maxPendingBytes", "maxPendingBytes " + maxPendingBytes
                        + " cannot hold a record (each record adds a " + RecordFormat.HEADER_SIZE + "-byte header)");
            }
            if (maxRecordSize == null) {
                return new WalOptions(this, (int) Math.min(DEFAULT_MAX_RECORD_SIZE, Math.min(fitsInSegment, fitsInQueue)));
            }
            if (maxRecordSize > fitsInSegment) {
                throw new InvalidArgumentException("maxRecordSize", "maxRecordSize " + maxRecordSize
                        + " does not fit in a segment of " + segmentSize + " bytes (each record adds a "
                        + RecordFormat.HEADER_SIZE + "-byte header and each segment a " + SegmentHeader.SIZE
                        + "-byte header)");
            }
            if (maxRecordSize > fitsInQueue) {
                throw new InvalidArgumentException("maxRecordSize", "maxRecordSize " + maxRecordSize
                        + " does not fit within maxPendingBytes " + maxPendingBytes + " (each record adds a "
                        + RecordFormat.HEADER_SIZE + "-byte header)");
            }
            return new WalOptions(this, maxRecordSize);
        }
    }
}
