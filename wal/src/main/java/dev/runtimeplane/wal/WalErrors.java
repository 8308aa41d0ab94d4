package dev.runtimeplane.wal;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.error.UnavailableException;
import java.nio.file.Path;

/** The errors the log reports to its users, worded for the operator who has to act on them. */
final class WalErrors {

    private WalErrors() {
    }

    static RuntimePlaneException corruption(Path dir, Corruption corruption) {
        return new RuntimePlaneException(ErrorCode.CORRUPTION, "the write-ahead log in " + dir.toAbsolutePath()
                + " is damaged before its tail: " + corruption.describe() + ". Nothing was changed. Inspect it with"
                + " 'WalTool verify " + dir.toAbsolutePath() + "', then cut the damage with 'WalTool repair "
                + dir.toAbsolutePath() + "' (records after the damage are cut too; a copy of everything cut is kept)");
    }

    static RuntimePlaneException overloaded(WalOptions options, int pendingAppends, long pendingBytes) {
        return new RuntimePlaneException(ErrorCode.OVERLOADED, "the write-ahead log in "
                + options.directory().toAbsolutePath() + " is overloaded: " + pendingAppends + " appends ("
                + pendingBytes + " bytes) wait for the disk, the limits are " + options.maxPendingAppends()
                + " appends and " + options.maxPendingBytes() + " bytes; retry later");
    }

    static RuntimePlaneException closed(Path dir) {
        return new UnavailableException("the write-ahead log in " + dir.toAbsolutePath() + " is closed", null);
    }
}
