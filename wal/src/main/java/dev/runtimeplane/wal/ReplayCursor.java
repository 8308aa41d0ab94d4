package dev.runtimeplane.wal;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.port.JournalEntry;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads records in sequence order across segments for a replay: lazily, one segment open at a time,
 * through a fixed-size window, so memory does not grow with the log. It stops after {@code limit}
 * (the last record acknowledged when the replay began) and checks every record on the way.
 */
final class ReplayCursor implements Closeable {

    private final Path dir;
    private final List<SegmentSet.Segment> segments;
    private final long from;
    private final long limit;
    private int nextIndex;
    private SegmentReader reader;
    private long nextSegmentStart;
    private long expected;
    private boolean started;

    private ReplayCursor(Path dir, List<SegmentSet.Segment> segments, long from, long limit) {
        this.dir = dir;
        this.segments = segments;
        this.from = from;
        this.limit = limit;
    }

    /** The records from {@code from} to {@code limit} inclusive found in {@code segments}, as a stream to close. */
    static Stream<JournalEntry> stream(Path dir, List<SegmentSet.Segment> segments, long from, long limit) {
        if (from > limit) {
            return Stream.empty();
        }
        ReplayCursor cursor = new ReplayCursor(dir, segments, from, limit);
        Spliterator<JournalEntry> spliterator = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE) {
            @Override
            public boolean tryAdvance(Consumer<? super JournalEntry> action) {
                JournalEntry entry = cursor.next();
                if (entry == null) {
                    return false;
                }
                action.accept(entry);
                return true;
            }
        };
        return StreamSupport.stream(spliterator, false).onClose(cursor::close);
    }

    /** The next record, or null when the replay is complete. */
    JournalEntry next() {
        try {
            while (!started || expected <= limit) {
                if (reader == null && !openNextSegment()) {
                    if (started) {
                        throw new RuntimePlaneException(ErrorCode.CORRUPTION, "the write-ahead log in " + dir
                                + " ends at sequence " + (expected - 1) + " but records up to " + limit
                                + " were acknowledged");
                    }
                    return null;
                }
                if (expected >= nextSegmentStart) {
                    closeReader();
                    continue;
                }
                if (reader.next(expected) != SegmentReader.Outcome.RECORD) {
                    String reason = reader.problem().isEmpty() ? "the segment ends before sequence " + expected
                            : reader.problem();
                    throw WalErrors.corruption(dir, new Corruption(reader.path(), reader.recordOffset(), reason, false));
                }
                expected++;
                if (reader.sequence() >= from) {
                    return new JournalEntry(reader.sequence(), reader.type(), reader.timestampMillis(), reader.payload());
                }
            }
            closeReader();
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("replay of the write-ahead log in " + dir + " failed: " + e.getMessage(), e);
        }
    }

    private boolean openNextSegment() throws IOException {
        if (nextIndex >= segments.size()) {
            return false;
        }
        SegmentSet.Segment segment = segments.get(nextIndex++);
        nextSegmentStart = nextIndex < segments.size() ? segments.get(nextIndex).firstSequence() : Long.MAX_VALUE;
        try {
            reader = SegmentReader.open(segment.file(), FileWindow.DEFAULT_CAPACITY);
        } catch (NoSuchFileException e) {
            throw new RuntimePlaneException(ErrorCode.NOT_FOUND, "segment " + segment.file()
                    + " was deleted below the floor while this replay was reading the log; replay from a later sequence");
        } catch (FormatException e) {
            throw WalErrors.corruption(dir, new Corruption(segment.file(), 0, e.getMessage(), true));
        }
        long first = reader.header().firstSequence();
        if (!started) {
            expected = first;
            started = true;
        } else if (first != expected) {
            throw WalErrors.corruption(dir, new Corruption(segment.file(), 0, "the segment starts at sequence "
                    + first + " where " + expected + " was expected", true));
        }
        return true;
    }

    private void closeReader() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                reader = null;
            }
        }
    }

    @Override
    public void close() {
        closeReader();
    }
}
