package dev.runtimeplane.wal;

import static dev.runtimeplane.wal.RecordFormat.CHECKSUM_OFFSET;
import static dev.runtimeplane.wal.RecordFormat.FLAGS_OFFSET;
import static dev.runtimeplane.wal.RecordFormat.KNOWN_FLAGS;
import static dev.runtimeplane.wal.RecordFormat.LENGTH_OFFSET;
import static dev.runtimeplane.wal.RecordFormat.SEQUENCE_OFFSET;
import static dev.runtimeplane.wal.RecordFormat.SYNC_INDEX_OFFSET;
import static dev.runtimeplane.wal.RecordFormat.TIMESTAMP_OFFSET;
import static dev.runtimeplane.wal.RecordFormat.TYPE_OFFSET;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The decoder: reads the records of one segment file in order and reports, record by record, whether
 * the next bytes are a valid record, the end of the file, or something else ({@link Outcome#BAD}, with
 * the reason). Whether bad bytes are a torn tail or corruption is decided by {@link SegmentScanner}.
 */
final class SegmentReader implements Closeable {

    enum Outcome { RECORD, END_OF_FILE, BAD }

    private final Path path;
    private final FileChannel channel;
    private final FileWindow window;
    private final SegmentHeader header;
    private final int headerSize;
    private final CRC32C crc = new CRC32C();
    private long fileSize;

    private long offset = SegmentHeader.SIZE;
    private long recordOffset;
    private int payloadLength;
    private int type;
    private int flags;
    private long sequence;
    private long timestampMillis;
    private long syncRoundStart;
    private String problem = "";

    private SegmentReader(Path path, FileChannel channel, FileWindow window, SegmentHeader header, long fileSize) {
        this.path = path;
        this.channel = channel;
        this.window = window;
        this.header = header;
        this.headerSize = RecordFormat.headerSize(header.version());
        this.fileSize = fileSize;
    }

    /** Opens a segment and checks its header; the cursor then sits before the first record. */
    static SegmentReader open(Path path, int windowCapacity) throws IOException, FormatException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            FileWindow window = new FileWindow(channel, windowCapacity);
            if (window.load(0, SegmentHeader.SIZE) < SegmentHeader.SIZE) {
                throw new FormatException("file is shorter than a segment header (" + SegmentHeader.SIZE + " bytes)");
            }
            byte[] headerBytes = new byte[SegmentHeader.SIZE];
            window.copy(0, headerBytes);
            SegmentHeader header = SegmentHeader.decode(ByteBuffer.wrap(headerBytes));
            return new SegmentReader(path, channel, window, header, channel.size());
        } catch (IOException | FormatException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Decodes the record at the cursor, which must carry {@code expectedSequence}, and moves past it when
     * it is valid.
     */
    Outcome next(long expectedSequence) throws IOException {
        recordOffset = offset;
        int available = window.load(offset, headerSize);
        if (available == 0) {
            return Outcome.END_OF_FILE;
        }
        if (available < headerSize) {
            return bad("the file ends " + available + " bytes into a record header");
        }
        payloadLength = window.getInt(offset + LENGTH_OFFSET);
        if (payloadLength < 0) {
            return bad("invalid payload length " + payloadLength);
        }
        long end = offset + headerSize + payloadLength;
        if (end > fileSize) {
            fileSize = window.fileSize(); // a live segment may have grown since the last look
        }
        if (end > fileSize) {
            return bad("the record claims " + payloadLength + " payload bytes but the file ends "
                    + (fileSize - offset - headerSize) + " bytes after its header");
        }
        if (!checksumMatches(offset, payloadLength)) {
            return bad("checksum mismatch");
        }
        readHeaderFields(offset);
        if ((flags & ~KNOWN_FLAGS) != 0) {
            return bad("unknown record flags 0x" + Integer.toHexString(flags));
        }
        if (sequence != expectedSequence) {
            return bad("sequence " + sequence + " where " + expectedSequence + " was expected");
        }
        offset = end;
        return Outcome.RECORD;
    }

    /**
     * Whether a valid record with a sequence in {@code [minSequence, maxSequence]} starts at
     * {@code at}, anywhere in the file; does not move the cursor. Cheap checks come first, so probing
     * every byte offset of a long stretch stays fast. When it returns true, {@link #sequence()} and
     * {@link #syncRoundStart()} describe the record found.
     */
    boolean validRecordAt(long at, long minSequence, long maxSequence) throws IOException {
        if (at + headerSize > fileSize || window.load(at, headerSize) < headerSize) {
            return false; // past the end, or the file shrank under the scan (a live log being verified)
        }
        int length = window.getInt(at + LENGTH_OFFSET);
        if (length < 0 || at + headerSize + (long) length > fileSize) {
            return false;
        }
        long candidate = window.getLong(at + SEQUENCE_OFFSET);
        if (candidate < minSequence || candidate > maxSequence || !checksumMatches(at, length)) {
            return false;
        }
        readHeaderFields(at);
        return true;
    }

    private boolean checksumMatches(long at, int length) throws IOException {
        crc.reset();
        window.checksum(crc, at, CHECKSUM_OFFSET);
        window.checksum(crc, at + TYPE_OFFSET, headerSize - TYPE_OFFSET + (long) length);
        window.load(at, headerSize);
        return (int) crc.getValue() == window.getInt(at + CHECKSUM_OFFSET);
    }

    /** Reads the fields of the header at {@code at}, which the window holds. */
    private void readHeaderFields(long at) {
        type = Short.toUnsignedInt(window.getShort(at + TYPE_OFFSET));
        flags = Short.toUnsignedInt(window.getShort(at + FLAGS_OFFSET));
        sequence = window.getLong(at + SEQUENCE_OFFSET);
        timestampMillis = window.getLong(at + TIMESTAMP_OFFSET);
        // Format 1 has no sync index: each of its records counts as a sync round of its own.
        syncRoundStart = header.version() == 1 ? sequence
                : sequence - Integer.toUnsignedLong(window.getInt(at + SYNC_INDEX_OFFSET));
    }

    /** The payload of the record just decoded, copied. */
    byte[] payload() throws IOException {
        byte[] payload = new byte[payloadLength];
        window.copy(recordOffset + headerSize, payload);
        return payload;
    }

    SegmentHeader header() {
        return header;
    }

    Path path() {
        return path;
    }

    /** Where the record last looked at (valid or not) starts. */
    long recordOffset() {
        return recordOffset;
    }

    /** Where the next record starts: just after the last valid one. */
    long offset() {
        return offset;
    }

    int type() {
        return type;
    }

    long sequence() {
        return sequence;
    }

    long timestampMillis() {
        return timestampMillis;
    }

    /**
     * The sequence of the first record of the sync round the record belongs to: the first record its
     * segment got after an fdatasync of that segment had completed ({@link RecordFormat}).
     */
    long syncRoundStart() {
        return syncRoundStart;
    }

    /** The smallest number of bytes a record takes in this segment. */
    int headerSize() {
        return headerSize;
    }

    boolean continuesBatch() {
        return (flags & RecordFormat.FLAG_BATCH_CONTINUES) != 0;
    }

    /** Why the last call returned {@link Outcome#BAD}. */
    String problem() {
        return problem;
    }

    /** The read window, for scans beyond the last valid record. */
    FileWindow window() {
        return window;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private Outcome bad(String reason) {
        problem = reason;
        return Outcome.BAD;
    }
}
