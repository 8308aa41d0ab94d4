package dev.runtimeplane.wal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The fixed header at the start of every segment file. All integers are little-endian.
 *
 * <pre>
 * offset  size  field
 *      0     4  magic, the ASCII bytes "RPWL"
 *      4     2  format version (2; version 1 segments are still read)
 *      6     2  reserved, 0
 *      8     8  sequence of the segment's first record
 *     16     8  creation time, epoch milliseconds
 *     24     4  CRC32C of bytes 0..23
 *     28     4  reserved, 0
 * </pre>
 */
record SegmentHeader(long firstSequence, long createdMillis, int version) {

    static final int SIZE = 32;
    static final int MAGIC = 0x4C575052; // "RPWL" read as a little-endian int
    /** The version this build writes: records carry a sync index ({@link RecordFormat}). */
    static final int VERSION = 2;
    /** The oldest version this build reads: records without a sync index. */
    static final int OLDEST_READABLE_VERSION = 1;

    private static final int CHECKSUM_OFFSET = 24;

    /** The header of a new segment, in the current format. */
    static SegmentHeader current(long firstSequence, long createdMillis) {
        return new SegmentHeader(firstSequence, createdMillis, VERSION);
    }

    ByteBuffer encode() {
        ByteBuffer bytes = ByteBuffer.allocate(SIZE).order(RecordFormat.ORDER);
        bytes.putInt(MAGIC).putShort((short) version).putShort((short) 0).putLong(firstSequence).putLong(createdMillis);
        bytes.putInt(checksum(bytes)).putInt(0);
        return bytes.flip();
    }

    /** Reads a header from the {@link #SIZE} bytes at the buffer's position. */
    static SegmentHeader decode(ByteBuffer bytes) throws FormatException {
        ByteBuffer header = bytes.slice(bytes.position(), SIZE).order(RecordFormat.ORDER);
        if (header.getInt(0) != MAGIC) {
            throw new FormatException("not a WAL segment (bad magic number)");
        }
        if (header.getInt(CHECKSUM_OFFSET) != checksum(header)) {
            throw new FormatException("segment header checksum mismatch");
        }
        int version = Short.toUnsignedInt(header.getShort(4));
        if (version < OLDEST_READABLE_VERSION || version > VERSION) {
            throw new FormatException("unsupported segment format version " + version + " (this build reads "
                    + OLDEST_READABLE_VERSION + " to " + VERSION + ")");
        }
        long firstSequence = header.getLong(8);
        if (firstSequence < 1) {
            throw new FormatException("segment header names first sequence " + firstSequence);
        }
        return new SegmentHeader(firstSequence, header.getLong(16), version);
    }

    private static int checksum(ByteBuffer header) {
        CRC32C crc = new CRC32C();
        crc.update(header.slice(0, CHECKSUM_OFFSET));
        return (int) crc.getValue();
    }
}
