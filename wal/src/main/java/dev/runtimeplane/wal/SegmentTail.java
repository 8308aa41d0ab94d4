package dev.runtimeplane.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Cuts a segment file back to its valid end, durably. */
final class SegmentTail {

    private SegmentTail() {
    }

    static void truncate(Path file, long validEnd) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(validEnd);
            channel.force(true);
        }
    }

    /** Copies the bytes from {@code offset} to the end of {@code file} into a new file {@code copy}, forced. */
    static long copyFrom(Path file, long offset, Path copy) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = in.size();
            long position = offset;
            while (position < size) {
                position += in.transferTo(position, size - position, out);
            }
            out.force(true);
            return size - offset;
        }
    }
}
