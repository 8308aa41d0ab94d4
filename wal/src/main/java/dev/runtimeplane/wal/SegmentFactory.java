package dev.runtimeplane.wal;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.runtimeplane.core.time.RuntimeClock;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Creates segment files crash-safely: header written and forced under a temporary name, renamed to
 * the final name, directory forced. A file with a segment name therefore always has a whole header.
 *
 * <p>With preallocation on, every segment is first filled with zeros to its full size, so that the
 * writer's appends overwrite allocated blocks: an fdatasync then flushes data only, with no file-size
 * change to journal, which on ext4 makes it markedly cheaper. A background thread writes the zeros of
 * the next segment ahead of time but does not force them: forcing a whole segment while the writer
 * forces its appends would slow every one of those fdatasyncs. The kernel writes the zeros back on its
 * own schedule, and the force in {@link #create} makes sure of them (at high append rates that force
 * then flushes most of a segment of zeros).
 */
final class SegmentFactory implements AutoCloseable {

    static final String SPARE_NAME = "spare" + SegmentFiles.TEMPORARY_SUFFIX;

    private static final int ZERO_CHUNK = 1 << 20;

    private final Path dir;
    private final ChannelOpener opener;
    private final RuntimeClock clock;
    private final long segmentSize;
    private final boolean preallocate;
    private final ExecutorService preparer;
    private Future<Path> spare;

    SegmentFactory(Path dir, ChannelOpener opener, RuntimeClock clock, long segmentSize, boolean preallocate) {
        this.dir = dir;
        this.opener = opener;
        this.clock = clock;
        this.segmentSize = segmentSize;
        this.preallocate = preallocate;
        this.preparer = preallocate
                ? Executors.newSingleThreadExecutor(Thread.ofPlatform().name("wal-segment-preparer").daemon(true).factory())
                : null;
    }

    /** A factory for offline use: no preallocation, no background thread. */
    static SegmentFactory plain(Path dir, RuntimeClock clock) {
        return new SegmentFactory(dir, ChannelOpener.FILE_CHANNEL, clock, 0, false);
    }

    /** Starts zero-filling the next segment in the background, unless one is ready or under way. */
    synchronized void prepareSpare() {
        if (preallocate && spare == null) {
            spare = preparer.submit(this::zeroFilledSpare);
        }
    }

    /** Creates the segment whose first record will carry {@code firstSequence}, open for appending. */
    ActiveSegment create(long firstSequence) throws IOException {
        Path temporary = preallocate ? takeSpare() : SegmentFiles.temporaryPath(dir, firstSequence);
        Path target = SegmentFiles.path(dir, firstSequence);
        FileChannel channel = preallocate ? opener.open(temporary, READ, WRITE)
                : opener.open(temporary, CREATE, TRUNCATE_EXISTING, READ, WRITE);
        try {
            ByteBuffer header = SegmentHeader.current(firstSequence, clock.millis()).encode();
            while (header.hasRemaining()) {
                channel.write(header, header.position());
            }
            channel.force(true);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            SegmentFiles.syncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(temporary);
            throw e;
        }
        prepareSpare();
        return new ActiveSegment(target, channel, SegmentHeader.SIZE);
    }

    /** Opens an existing segment to append after its last valid record, which ends at {@code position}. */
    ActiveSegment reopen(Path file, long position) throws IOException {
        return new ActiveSegment(file, opener.open(file, READ, WRITE), position);
    }

    private Path takeSpare() throws IOException {
        Future<Path> ready;
        synchronized (this) {
            ready = spare;
            spare = null;
        }
        if (ready == null) {
            return zeroFilledSpare();
        }
        try {
            return ready.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("preparing the next segment failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the next segment");
        }
    }

    private Path zeroFilledSpare() throws IOException {
        Path file = dir.resolve(SPARE_NAME);
        ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_CHUNK);
        try (FileChannel channel = FileChannel.open(file, CREATE, TRUNCATE_EXISTING, WRITE)) {
            long position = 0;
            while (position < segmentSize) {
                zeros.clear().limit((int) Math.min(ZERO_CHUNK, segmentSize - position));
                position += channel.write(zeros, position);
            }

        }
        return file;
    }

    /** Stops the background preparation and deletes the spare (one left by a crash is deleted on open). */
    @Override
    public void close() throws IOException {
        if (preparer != null) {
            preparer.shutdownNow();
            try {
                preparer.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Files.deleteIfExists(dir.resolve(SPARE_NAME));
        }
    }
}
