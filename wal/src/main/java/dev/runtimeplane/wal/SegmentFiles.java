package dev.runtimeplane.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Naming and housekeeping of the files in a log directory. A segment is named after its first
 * sequence, zero-padded to 20 digits ({@code 00000000000000000001.wal}), so that a directory
 * listing shows the segments in log order.
 */
final class SegmentFiles {

    static final String SUFFIX = ".wal";
    static final String TEMPORARY_SUFFIX = ".wal.tmp";

    private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d{20})\\.wal");

    private SegmentFiles() {
    }

    static String name(long firstSequence) {
        return String.format("%020d%s", firstSequence, SUFFIX);
    }

    static Path path(Path dir, long firstSequence) {
        return dir.resolve(name(firstSequence));
    }

    static Path temporaryPath(Path dir, long firstSequence) {
        return dir.resolve(String.format("%020d%s", firstSequence, TEMPORARY_SUFFIX));
    }

    /** The first sequence a segment file's name declares, or empty when it is not a segment file. */
    static OptionalLong firstSequence(Path file) {
        Matcher matcher = SEGMENT_NAME.matcher(file.getFileName().toString());
        return matcher.matches() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
    }

    /** The segment files of a directory, in sequence order. */
    static List<Path> list(Path dir) throws IOException {
        List<Path> segments = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path entry : entries) {
                if (firstSequence(entry).isPresent() && Files.isRegularFile(entry)) {
                    segments.add(entry);
                }
            }
        }
        segments.sort(Comparator.comparingLong(file -> firstSequence(file).orElseThrow()));
        return segments;
    }

    /**
     * Deletes segments that were being created when the process stopped. They are renamed to their final
     * name only once complete, so a temporary file never holds a record.
     */
    static int deleteTemporaries(Path dir) throws IOException {
        int deleted = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + TEMPORARY_SUFFIX)) {
            for (Path entry : entries) {
                Files.delete(entry);
                deleted++;
            }
        }
        if (deleted > 0) {
            syncDirectory(dir);
        }
        return deleted;
    }

    /** Makes file creations, renames and deletions in {@code dir} durable. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
