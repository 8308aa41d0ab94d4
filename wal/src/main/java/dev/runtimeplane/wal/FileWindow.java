package dev.runtimeplane.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * A fixed-size read buffer over a file that serves reads at absolute offsets and refills itself from
 * the channel when asked for bytes it does not hold. Memory stays constant however long the file is;
 * checksums and copies of long ranges stream through the buffer.
 */
final class FileWindow {

    static final int DEFAULT_CAPACITY = 1 << 20;

    private final FileChannel channel;
    private final ByteBuffer buffer;
    private final ByteBuffer view;
    private long start;

    FileWindow(FileChannel channel, int capacity) {
        this.channel = channel;
        this.buffer = ByteBuffer.allocateDirect(capacity).order(RecordFormat.ORDER);
        this.view = buffer.duplicate();
        buffer.limit(0);
    }

    /**
     * Makes the {@code length} bytes at {@code offset} readable with the get methods, reading the file
     * if needed. Returns how many of them the file has (less than {@code length} at its end).
     */
    int load(long offset, int length) throws IOException {
        if (length > buffer.capacity()) {
            throw new IllegalArgumentException("cannot hold " + length + " bytes in a window of " + buffer.capacity());
        }
        if (offset >= start && offset + length <= start + buffer.limit()) {
            return length;
        }
        buffer.clear();
        start = offset;
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, start + buffer.position()) < 0) {
                break;
            }
        }
        buffer.flip();
        return Math.min(length, buffer.limit());
    }

    short getShort(long offset) {
        return buffer.getShort(index(offset));
    }

    int getInt(long offset) {
        return buffer.getInt(index(offset));
    }

    long getLong(long offset) {
        return buffer.getLong(index(offset));
    }

    /** The current size of the file. */
    long fileSize() throws IOException {
        return channel.size();
    }

    /** Feeds {@code length} bytes at {@code offset} to the checksum. The caller knows they exist. */
    void checksum(CRC32C crc, long offset, long length) throws IOException {
        long done = 0;
        while (done < length) {
            int chunk = (int) Math.min(length - done, buffer.capacity());
            requireLoaded(offset + done, chunk);
            int from = index(offset + done);
            view.clear().position(from).limit(from + chunk);
            crc.update(view);
            done += chunk;
        }
    }

    /** Copies {@code target.length} bytes at {@code offset} into {@code target}. The caller knows they exist. */
    void copy(long offset, byte[] target) throws IOException {
        int done = 0;
        while (done < target.length) {
            int chunk = Math.min(target.length - done, buffer.capacity());
            requireLoaded(offset + done, chunk);
            buffer.get(index(offset + done), target, done, chunk);
            done += chunk;
        }
    }

    /** True when every byte in {@code [from, to)} is zero. */
    boolean allZero(long from, long to) throws IOException {
        long offset = from;
        while (offset < to) {
            int chunk = (int) Math.min(to - offset, buffer.capacity());
            int loaded = load(offset, chunk);
            int base = index(offset);
            int i = 0;
            for (; i + Long.BYTES <= loaded; i += Long.BYTES) {
                if (buffer.getLong(base + i) != 0) {
                    return false;
                }
            }
            for (; i < loaded; i++) {
                if (buffer.get(base + i) != 0) {
                    return false;
                }
            }
            if (loaded < chunk) {
                return true;
            }
            offset += chunk;
        }
        return true;
    }

    private void requireLoaded(long offset, int length) throws IOException {
        if (load(offset, length) < length) {
            throw new IOException("file ended while reading " + length + " bytes at offset " + offset);
        }
    }

    private int index(long offset) {
        return (int) (offset - start);
    }
}
