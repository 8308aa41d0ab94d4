package dev.runtimeplane.wal;

import static dev.runtimeplane.wal.RecordFormat.CHECKSUM_OFFSET;
import static dev.runtimeplane.wal.RecordFormat.FLAGS_OFFSET;
import static dev.runtimeplane.wal.RecordFormat.HEADER_SIZE;
import static dev.runtimeplane.wal.RecordFormat.KNOWN_FLAGS;
import static dev.runtimeplane.wal.RecordFormat.LENGTH_OFFSET;
import static dev.runtimeplane.wal.RecordFormat.SEQUENCE_OFFSET;
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
    private final CRC32C crc = new CRC32C();
    private long fileSize;

    private long offset = SegmentHeader.SIZE;
    private long recordOffset;
    private int payloadLength;
    private int type;
    private int flags;
    private long sequence;
    private long timestampMillis;
    private String problem = "";

    private SegmentReader(Path path, FileChannel channel, FileWindow window, SegmentHeader header, long fileSize) {
        this.path = path;
        this.channel = channel;
        this.window = window;
        this.header = header;
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
        int available = window.load(offset, HEADER_SIZE);
        if (available == 0) {
            return Outcome.END_OF_FILE;
        }
        if (available < HEADER_SIZE) {
            return bad("the file ends " + available + " bytes into a record header");
        }
        payloadLength = window.getInt(offset + LENGTH_OFFSET);
        if (payloadLength < 0) {
            return bad("invalid payload length " + payloadLength);
        }
        long end = offset + RecordFormat.encodedSize(payloadLength);
        if (end > fileSize) {
            fileSize = window.fileSize(); // a live segment may have grown since the last look
        }
        if (end > fileSize) {
            return bad("the record claims " + payloadLength + " payload bytes but the file ends "
                    + (fileSize - offset - HEADER_SIZE) + " bytes after its header");
        }
        crc.reset();
        window.checksum(crc, offset, CHECKSUM_OFFSET);
        window.checksum(crc, offset + TYPE_OFFSET, end - offset - TYPE_OFFSET);
        window.load(offset, HEADER_SIZE);
        if ((int) crc.getValue() != window.getInt(offset + CHECKSUM_OFFSET)) {
            return bad("checksum mismatch");
        }
        type = Short.toUnsignedInt(window.getShort(offset + TYPE_OFFSET));
        flags = Short.toUnsignedInt(window.getShort(offset + FLAGS_OFFSET));
        sequence = window.getLong(offset + SEQUENCE_OFFSET);
        timestampMillis = window.getLong(offset + TIMESTAMP_OFFSET);
        if ((flags & ~KNOWN_FLAGS) != 0) {
            return bad("unknown record flags 0x" + Integer.toHexString(flags));
        }
        if (sequence != expectedSequence) {
            return bad("sequence " + sequence + " where " + expectedSequence + " was expected");
        }
        offset = end;
        return Outcome.RECORD;
    }

    /** The payload of the record just decoded, copied. */
    byte[] payload() throws IOException {
        byte[] payload = new byte[payloadLength];
        window.copy(recordOffset + HEADER_SIZE, payload);
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
