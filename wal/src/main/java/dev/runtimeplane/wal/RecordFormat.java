package dev.runtimeplane.wal;

import java.nio.ByteOrder;

/**
 * The byte layout of one record inside a segment. All integers are little-endian.
 *
 * <pre>
 * offset  size  field
 *      0     4  payload length n (bytes)
 *      4     4  CRC32C of bytes 0..3 and 8..(31+n): everything except the checksum itself
 *      8     2  record type, 0..65535
 *     10     2  flags; bit 0 set: the next record belongs to the same atomic batch
 *     12     8  sequence
 *     20     8  timestamp, epoch milliseconds (when the writer took the record)
 *     28     4  sync index: how many records of its segment were written after the segment's last
 *               completed fdatasync and before this one (unsigned)
 *     32     n  payload
 * </pre>
 *
 * <p>The records with the same {@code sequence - syncIndex} form one <em>sync round</em>: what was written
 * between two completed fdatasyncs of the segment (under {@link FsyncPolicy#ALWAYS}, one group commit).
 * It is what lets recovery tell a power loss (damage in the last sync round only) from damage to data
 * that had been forced. Format version 1 had no sync index (a 28-byte header); its segments are still
 * read, each record counting as a sync round of its own.
 */
final class RecordFormat {

    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    static final int HEADER_SIZE = 32;
    static final int V1_HEADER_SIZE = 28;
    static final int LENGTH_OFFSET = 0;
    static final int CHECKSUM_OFFSET = 4;
    static final int TYPE_OFFSET = 8;
    static final int FLAGS_OFFSET = 10;
    static final int SEQUENCE_OFFSET = 12;
    static final int TIMESTAMP_OFFSET = 20;
    static final int SYNC_INDEX_OFFSET = 28;

    /** Set on every record of an atomic batch except the last: the batch is complete only with its last record. */
    static final int FLAG_BATCH_CONTINUES = 1;
    static final int KNOWN_FLAGS = FLAG_BATCH_CONTINUES;

    static final int MAX_TYPE = 0xFFFF;

    private RecordFormat() {
    }

    /** Bytes a record takes in a segment of the current format. */
    static long encodedSize(int payloadLength) {
        return (long) HEADER_SIZE + payloadLength;
    }

    /** The record header size of a segment format version. */
    static int headerSize(int formatVersion) {
        return formatVersion == 1 ? V1_HEADER_SIZE : HEADER_SIZE;
    }
}
