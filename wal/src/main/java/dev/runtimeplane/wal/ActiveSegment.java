package dev.runtimeplane.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** The segment the writer appends to: its channel and the offset where the next byte goes. */
final class ActiveSegment implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;
    private long position;

    ActiveSegment(Path path, FileChannel channel, long position) {
        this.path = path;
        this.channel = channel;
        this.position = position;
    }

    /** Writes all of {@code bytes} at the current position. */
    void write(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            position += channel.write(bytes, position);
        }
    }

    /** fdatasync: the data written so far survives a crash once this returns. */
    void force() throws IOException {
        channel.force(false);
    }

    Path path() {
        return path;
    }

    long position() {
        return position;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
