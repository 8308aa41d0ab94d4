package dev.runtimeplane.wal;

import static dev.runtimeplane.wal.RecordFormat.CHECKSUM_OFFSET;
import static dev.runtimeplane.wal.RecordFormat.HEADER_SIZE;
import static dev.runtimeplane.wal.RecordFormat.TYPE_OFFSET;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** Turns records into bytes ({@link RecordFormat}). One instance per thread: it reuses its scratch space. */
final class RecordEncoder {

    private final CRC32C crc = new CRC32C();
    private final ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE).order(RecordFormat.ORDER);

    /** The record's header, checksum included, ready to be copied; valid until the next call. */
    ByteBuffer header(long sequence, int type, int flags, long timestampMillis, int syncIndex, byte[] payload) {
        header.clear();
        header.putInt(payload.length).putInt(0).putShort((short) type).putShort((short) flags)
                .putLong(sequence).putLong(timestampMillis).putInt(syncIndex);
        byte[] bytes = header.array();
        crc.reset();
        crc.update(bytes, 0, CHECKSUM_OFFSET);
        crc.update(bytes, TYPE_OFFSET, HEADER_SIZE - TYPE_OFFSET);
        crc.update(payload);
        header.putInt(CHECKSUM_OFFSET, (int) crc.getValue());
        return header.flip();
    }

    /** Appends the whole record at {@code target}'s position. */
    void encode(ByteBuffer target, long sequence, int type, int flags, long timestampMillis, int syncIndex,
                byte[] payload) {
        target.put(header(sequence, type, flags, timestampMillis, syncIndex, payload)).put(payload);
    }
}
