package dev.runtimeplane.wal;

import dev.runtimeplane.core.component.Component;
import dev.runtimeplane.core.component.DrainReport;
import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.error.TooLargeException;
import dev.runtimeplane.core.port.Journal;
import dev.runtimeplane.core.port.JournalEntry;
import dev.runtimeplane.core.port.JournalRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable, append-only write-ahead log in a directory of segment files, with group commit and crash
 * recovery. See the module README for the on-disk format and the recovery rules.
 *
 * <p>{@link #open} (or the constructor and {@link #start}) locks the directory, recovers it and starts
 * the writer thread. Appends may come from any number of threads; each gets a unique sequence, in the
 * order the appends were taken, and a future that completes once the record is durable under the
 * {@link FsyncPolicy}. Argument errors (bad type, payload over {@link WalOptions#maxRecordSize()}) are
 * thrown at once; a closed or failed log fails the returned future instead.
 */
public final class WriteAheadLog implements Journal, Component {

    private static final Logger LOG = LoggerFactory.getLogger(WriteAheadLog.class);

    private enum State { NEW, OPEN, CLOSED }

    private final WalOptions options;
    private final WalStats stats = new WalStats();
    private final WalHealth health;
    private final Object lifecycle = new Object();
    private volatile State state = State.NEW;
    private DirectoryLock lock;
    private SegmentFactory factory;
    private SegmentSet segments;
    private AppendQueue queue;
    private GroupCommitWriter writer;
    private Completer completer;
    private Thread writerThread;

    public WriteAheadLog(WalOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.health = new WalHealth(options);
    }

    /** Opens (creating when missing) and recovers the log, ready to append. */
    public static WriteAheadLog open(WalOptions options) {
        WriteAheadLog log = new WriteAheadLog(options);
        log.start();
        return log;
    }

    @Override
    public String name() {
        return WalHealth.COMPONENT;
    }

    /**
     * Locks the directory, deletes half-created segments, verifies every segment, cuts a torn tail and
     * starts the writer. Fails with {@code CONFLICT} when another process holds the directory and with
     * {@code CORRUPTION} when there is damage before the tail.
     */
    @Override
    public void start() {
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw new IllegalStateException("the write-ahead log was already started");
            }
            Path dir = options.directory();
            long begin = System.nanoTime();
            Recovery.Result recovered;
            try {
                if (!Files.isDirectory(dir)) {
                    Files.createDirectories(dir);
                    SegmentFiles.syncDirectory(dir.toAbsolutePath().getParent());
                }
                lock = DirectoryLock.acquire(dir);
                factory = new SegmentFactory(dir, options.channelOpener(), options.clock(), options.segmentSize(),
                        options.preallocate());
                recovered = Recovery.recover(dir, factory);
            } catch (IOException | RuntimeException e) {
                releaseAfterFailedStart();
                if (e instanceof IOException io) {
                    throw new UncheckedIOException("cannot open the write-ahead log in " + dir.toAbsolutePath() + ": " + e, io);
                }
                throw (RuntimeException) e;
            }
            factory.prepareSpare();
            segments = new SegmentSet(dir, recovered.segments());
            queue = new AppendQueue(recovered.lastSequence(), options);
            health.attach(queue);
            completer = new Completer();
            writer = new GroupCommitWriter(options, queue, factory, segments, recovered.active(), stats, health, completer);
            writerThread = Thread.ofPlatform().name("wal-writer").daemon(true).start(writer);
            state = State.OPEN;
            LOG.info("opened write-ahead log {}: {} segment(s), last sequence {}, fsync {} ({} ms)", dir.toAbsolutePath(),
                    segments.count(), recovered.lastSequence(), options.fsyncPolicy(),
                    Duration.ofNanos(System.nanoTime() - begin).toMillis());
        }
    }

    private void releaseAfterFailedStart() {
        if (factory != null) {
            closeQuietly(factory, "stop preparing segments in");
            factory = null;
        }
        if (lock != null) {
            closeQuietly(lock, "release the lock of");
            lock = null;
        }
    }

    private void closeQuietly(AutoCloseable resource, String what) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("could not {} {}", what, options.directory(), e);
        }
    }

    @Override
    public CompletableFuture<Long> append(int type, byte[] payload) {
        checkType(type);
        Objects.requireNonNull(payload, "payload");
        checkSize(payload.length, "payload");
        return submit(AppendRequest.single(type, payload.clone()));
    }

    /**
     * Appends the records with consecutive sequences, in one group and one segment; recovery keeps all
     * of them or none. The batch, headers included, must fit in one segment.
     */
    @Override
    public CompletableFuture<Long> appendBatch(List<JournalRecord> records) {
        if (records == null || records.isEmpty()) {
            throw new InvalidArgumentException("records", "a batch needs at least one record");
        }
        List<JournalRecord> copies = new ArrayList<>(records.size());
        long size = 0;
        for (JournalRecord record : records) {
            checkSize(record.payload().length, "payload");
            copies.add(new JournalRecord(record.type(), record.payload().clone()));
            size += RecordFormat.encodedSize(record.payload().length);
        }
        if (size > options.maxBatchSize()) {
            throw new TooLargeException("batch", size, options.maxBatchSize());
        }
        return submit(AppendRequest.batch(copies, size));
    }

    /**
     * The records from {@code fromSequence} (or from the oldest kept, if segments below the floor were deleted
     * ones) up to the last one acknowledged when this call was made, read lazily segment by segment.
     * Close the stream. A damaged record fails the stream with {@code CORRUPTION}. Sequences start at
     * 1, so 0 and below mean "from the beginning" too (also on an empty log).
     */
    @Override
    public Stream<JournalEntry> replay(long fromSequence) {
        requireOpen();
        long from = Math.max(1, fromSequence);
        long limit = writer.acknowledgedSequence();
        return ReplayCursor.stream(options.directory(), segments.startingAt(from), from, limit);
    }

    /**
     * Writes and forces everything appended before this call, whatever the policy. Throws
     * {@code DURABILITY_FAILURE} when the writer has failed; returns at once after {@link #close}, which
     * forced everything already.
     */
    @Override
    public void flush() {
        requireStarted();
        AppendRequest marker = AppendRequest.flush();
        queue.offer(marker);
        try {
            marker.future().join();
        } catch (CompletionException refused) {
            // Refused because the writer failed or the log closed; either way the writer is finishing.
            awaitWriter();
            RuntimePlaneException failure = writer.failure();
            if (failure != null) {
                throw failure;
            }
            // Closed: close() wrote and forced everything appended before it.
        }
    }

    /**
     * Deletes the segments whose records all have a sequence below {@code sequence} (never the segment
     * being written) and forces the directory.
     */
    @Override
    public void raiseFloor(long sequence) {
        requireOpen();
        try {
            int deleted = segments.deleteCoveredBy(sequence);
            if (deleted > 0) {
                LOG.debug("floor {} deleted {} segment(s) of {}", sequence, deleted, options.directory());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("raising the floor of the write-ahead log in " + options.directory() + " failed", e);
        }
    }

    /** The last sequence handed to an append (it may still be in flight), or the last recovered one; 0 when empty. */
    @Override
    public long lastSequence() {
        return queue == null ? 0 : queue.lastAssigned();
    }

    /** Counters and timings since the log opened. */
    public WalMetrics metrics() {
        AppendQueue current = queue;
        return stats.snapshot(current == null ? 0 : current.overloaded());
    }

    /**
     * The cached snapshot: UP with lastSequence, lastFsyncAgeMillis, pendingBytes and pendingAppends
     * (current, against maxPendingBytes and maxPendingAppends), segments and fsyncPolicy; DOWN and not
     * live once a write or fsync failed or has hung for over 10 s; DOWN "closed" after close.
     */
    @Override
    public HealthSnapshot health() {
        GroupCommitWriter current = writer;
        return state == State.OPEN && current != null ? current.health() : health.current(0, false);
    }

    /**
     * Waits until the appends queued when the drain began are written and forced, or until the deadline.
     * Appends still queued at the deadline are reported as parked: they stay queued and {@link #close}
     * writes them.
     */
    @Override
    public DrainReport drain(Instant deadline) {
        if (state != State.OPEN || writer.failure() != null) {
            return DrainReport.NOTHING_IN_FLIGHT;
        }
        int inFlight = queue.queued();
        AppendRequest marker = AppendRequest.flush();
        queue.offer(marker);
        long waitNanos = Math.max(0, Duration.between(options.clock().now(), deadline).toNanos());
        try {
            marker.future().get(waitNanos, TimeUnit.NANOSECONDS);
            return new DrainReport(inFlight, 0);
        } catch (TimeoutException | ExecutionException e) {
            return new DrainReport(0, inFlight);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DrainReport(0, inFlight);
        }
    }

    /**
     * Stops taking appends, lets the writer write and force everything already queued, and releases the
     * directory. Idempotent; a second call returns once the first is done.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            State previous = state;
            state = State.CLOSED;
            if (previous != State.OPEN) {
                health.publishClosed();
                return;
            }
            queue.refuse(WalErrors.closed(options.directory()), false);
            awaitWriter();
            completer.awaitFinished();
            closeQuietly(factory, "stop preparing segments in");
            closeQuietly(lock, "release the lock of");
            health.publishClosed();
            LOG.info("closed write-ahead log {} at sequence {}", options.directory().toAbsolutePath(),
                    writer.acknowledgedSequence());
        }
    }

    private CompletableFuture<Long> submit(AppendRequest request) {
        requireStarted();
        queue.offer(request);
        return request.future();
    }

    private void requireStarted() {
        if (state == State.NEW) {
            throw new IllegalStateException("the write-ahead log is not started; use WriteAheadLog.open or start()");
        }
    }

    private void requireOpen() {
        requireStarted();
        if (state == State.CLOSED) {
            throw WalErrors.closed(options.directory());
        }
    }

    /** Waits until the writer has stopped. */
    private void awaitWriter() {
        boolean interrupted = false;
        while (writerThread.isAlive()) {
            try {
                writerThread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void checkType(int type) {
        if (type < 0 || type > RecordFormat.MAX_TYPE) {
            throw new InvalidArgumentException("type", "record type must be 0..65535, was " + type);
        }
    }

    private void checkSize(int payloadLength, String field) {
        if (payloadLength > options.maxRecordSize()) {
            throw new TooLargeException(field, payloadLength, options.maxRecordSize());
        }
    }
}
