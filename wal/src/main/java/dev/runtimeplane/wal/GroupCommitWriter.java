package dev.runtimeplane.wal;

import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.time.RuntimeClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the log (group commit). Each round it takes everything appenders have
 * queued, encodes it into one buffer, writes it with one call and forces once when the policy asks;
 * only then does it hand the round to the {@link Completer}, which completes the appenders' futures.
 * Appends that arrive while a write or force is in flight wait in the queue and make up the next round,
 * so concurrent appenders share writes and fdatasyncs without any timed wait; a lone appender is
 * written at once.
 *
 * <p>An I/O error is fatal: the writer fails the round, everything queued and every later append with
 * {@link ErrorCode#DURABILITY_FAILURE}, never retries (after a failed fsync the kernel may have dropped
 * the dirty pages, so a retry could report success for data that is gone), and reports itself not live.
 */
final class GroupCommitWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    static final int BUFFER_SIZE = 1 << 20;
    private static final long IDLE_WAKE_NANOS = Duration.ofSeconds(1).toNanos();
    private static final long HEALTH_REFRESH_NANOS = Duration.ofMillis(100).toNanos();
    private static final long IDLE = Long.MIN_VALUE;
    private static final long NO_SYNC_ROUND = Long.MIN_VALUE;

    private final WalOptions options;
    private final FsyncPolicy policy;
    private final RuntimeClock clock;
    private final AppendQueue queue;
    private final SegmentFactory factory;
    private final SegmentSet segments;
    private final WalStats stats;
    private final WalHealth health;
    private final RecordEncoder encoder = new RecordEncoder();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE).order(RecordFormat.ORDER);
    private final Completer completer;
    private List<AppendRequest> round = new ArrayList<>();

    private ActiveSegment active;
    private long unforcedBytes;
    /** The first sequence written since the active segment's last completed force, or NO_SYNC_ROUND. */
    private long syncRoundStart = NO_SYNC_ROUND;
    private long lastForceNanos;
    private long lastHealthNanos;
    private volatile long writtenSequence;
    private volatile long acknowledgedSequence;
    private volatile long busySinceNanos = IDLE;
    private volatile RuntimePlaneException failure;

    GroupCommitWriter(WalOptions options, AppendQueue queue, SegmentFactory factory, SegmentSet segments,
                      ActiveSegment active, WalStats stats, WalHealth health, Completer completer) {
        this.options = options;
        this.policy = options.fsyncPolicy();
        this.clock = options.clock();
        this.queue = queue;
        this.factory = factory;
        this.segments = segments;
        this.active = active;
        this.stats = stats;
        this.health = health;
        this.completer = completer;
        this.writtenSequence = queue.lastAssigned();
        this.acknowledgedSequence = queue.lastAssigned();
        this.lastForceNanos = clock.nanoTime();
    }

    @Override
    public void run() {
        try {
            publishHealth();
            AppendQueue.Take take;
            do {
                take = queue.take(round, waitNanos());
                if (take == AppendQueue.Take.TAKEN) {
                    writeRound();
                }
                if (policy == FsyncPolicy.INTERVAL && unforcedBytes > 0 && waitNanos() == 0) {
                    busy();
                    force();
                    idle();
                }
                if (clock.nanoTime() - lastHealthNanos >= HEALTH_REFRESH_NANOS) {
                    publishHealth();
                }
            } while (take != AppendQueue.Take.FINISHED);
            busy();
            force();
            idle();
            active.close();
            publishHealth();
        } catch (Exception | Error e) {
            fail(e);
        }
    }

    /** The last sequence acknowledged: forced under ALWAYS, written under INTERVAL and NONE. */
    long acknowledgedSequence() {
        return acknowledgedSequence;
    }

    /** Set once the writer has failed; the error every pending and later append gets. */
    RuntimePlaneException failure() {
        return failure;
    }

    /** The cached health, or a not-live snapshot when one write or fsync has been running for too long. */
    HealthSnapshot health() {
        long since = busySinceNanos;
        return health.current(since, since != IDLE);
    }

    private long waitNanos() {
        if (policy == FsyncPolicy.INTERVAL && unforcedBytes > 0) {
            long due = lastForceNanos + options.fsyncInterval().toNanos();
            return Math.max(0, due - clock.nanoTime());
        }
        return IDLE_WAKE_NANOS;
    }

    private void writeRound() throws IOException {
        busy();
        long timestamp = clock.millis();
        boolean forceRequested = policy == FsyncPolicy.ALWAYS;
        int appends = 0;
        int records = 0;
        long bytes = 0;
        long lastSequence = writtenSequence;
        for (AppendRequest request : round) {
            if (request.isFlush()) {
                forceRequested = true;
                continue;
            }
            if (active.position() + buffer.position() + request.encodedSize() > options.segmentSize()) {
                roll(request.firstSequence());
            }
            encode(request, timestamp);
            appends++;
            records += request.count();
            bytes += request.encodedSize();
            lastSequence = request.lastSequence();
        }
        writeBuffer();
        writtenSequence = lastSequence;
        if (forceRequested) {
            force();
        }
        acknowledgedSequence = writtenSequence;
        idle();
        if (records > 0) {
            stats.recordGroup(records, bytes);
            queue.written(appends, bytes);
        }
        completer.complete(round, acknowledgedSequence);
        round = new ArrayList<>(round.size());
    }

    private void encode(AppendRequest request, long timestamp) throws IOException {
        int count = request.count();
        if (syncRoundStart == NO_SYNC_ROUND) {
            syncRoundStart = request.firstSequence();
        }
        for (int i = 0; i < count; i++) {
            long sequence = request.firstSequence() + i;
            int flags = i < count - 1 ? RecordFormat.FLAG_BATCH_CONTINUES : 0;
            // Below 2^32: a sync round never spans segments, and a segment holds fewer records than that.
            int syncIndex = (int) (sequence - syncRoundStart);
            byte[] payload = request.payload(i);
            long size = RecordFormat.encodedSize(payload.length);
            if (size > buffer.remaining()) {
                writeBuffer();
            }
            if (size <= buffer.remaining()) {
                encoder.encode(buffer, sequence, request.type(i), flags, timestamp, syncIndex, payload);
            } else {
                // Larger than the whole buffer: write header and payload straight from where they are.
                active.write(encoder.header(sequence, request.type(i), flags, timestamp, syncIndex, payload));
                active.write(ByteBuffer.wrap(payload));
                unforcedBytes += size;
            }
        }
    }

    private void writeBuffer() throws IOException {
        buffer.flip();
        unforcedBytes += buffer.remaining();
        active.write(buffer);
        buffer.clear();
    }

    private void force() throws IOException {
        if (unforcedBytes == 0) {
            return;
        }
        long start = clock.nanoTime();
        active.force();
        lastForceNanos = clock.nanoTime();
        stats.recordFsync(lastForceNanos - start);
        unforcedBytes = 0;
        syncRoundStart = NO_SYNC_ROUND; // the next record written starts a new sync round
    }

    /**
     * Starts the next segment. The current one is forced first, whatever the policy: a segment that is
     * not the last is then always complete, which is what lets recovery call any damage in it corruption.
     */
    private void roll(long firstSequence) throws IOException {
        writeBuffer();
        force();
        ActiveSegment next = factory.create(firstSequence);
        active.close();
        active = next;
        segments.add(firstSequence, next.path());
        LOG.debug("started segment {}", next.path());
    }

    private void busy() {
        busySinceNanos = clock.nanoTime();
    }

    private void idle() {
        busySinceNanos = IDLE;
    }

    private void publishHealth() {
        lastHealthNanos = clock.nanoTime();
        health.publishUp(writtenSequence, lastForceNanos, segments.count());
    }

    private void fail(Throwable cause) {
        RuntimePlaneException error = new RuntimePlaneException(ErrorCode.DURABILITY_FAILURE,
                "the write-ahead log in " + options.directory() + " could not write or fsync (" + cause
                        + "); its writer has stopped and takes no more appends", null, cause);
        failure = error;
        List<AppendRequest> dropped = queue.refuse(error, true);
        round.forEach(request -> request.future().completeExceptionally(error));
        dropped.forEach(request -> request.future().completeExceptionally(error));
        round.clear();
        idle();
        health.publishFailed("write or fsync failed: " + cause, writtenSequence, lastForceNanos, segments.count());
        try {
            active.close();
        } catch (IOException closeFailure) {
            cause.addSuppressed(closeFailure);
        }
        LOG.error("WAL writer for {} failed; failing {} queued appends and all later ones",
                options.directory(), dropped.size(), cause);
    }
}
