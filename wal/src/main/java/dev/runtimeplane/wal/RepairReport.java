package dev.runtimeplane.wal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@link WalMaintenance#repair} did.
 *
 * @param cuts            the pieces cut from the log, in log order; empty when nothing needed repair
 * @param backupDirectory where the copies of the cut pieces are, when anything was cut
 * @param lastSequence    the last sequence the log now holds; the next append gets the one after it
 */
public record RepairReport(List<Cut> cuts, Optional<Path> backupDirectory, long lastSequence) {

    public RepairReport {
        cuts = List.copyOf(cuts);
    }

    /**
     * One piece cut from the log.
     *
     * @param segment  the segment file it was cut from
     * @param offset   the byte offset the cut starts at (0: the whole file was moved out)
     * @param bytes    how many bytes were cut
     * @param copy     where the cut bytes are kept
     */
    public record Cut(Path segment, long offset, long bytes, Path copy) {
    }

    public boolean changed() {
        return !cuts.isEmpty();
    }
}
