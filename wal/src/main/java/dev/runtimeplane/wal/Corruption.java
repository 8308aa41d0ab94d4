package dev.runtimeplane.wal;

import java.nio.file.Path;

/**
 * Damage before the tail of the log: where it is and what it is.
 *
 * @param file          the segment file
 * @param offset        the byte offset in that file where the damage starts
 * @param reason        what is wrong
 * @param wholeSegment  true when nothing in the file can be kept (bad header, or the file does not continue
 *                      the sequence of the one before it)
 */
public record Corruption(Path file, long offset, String reason, boolean wholeSegment) {

    /** One line for operators: file, offset and reason. */
    public String describe() {
        return file + " at byte offset " + offset + ": " + reason;
    }
}
