package dev.runtimeplane.wal;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.OverloadedException;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.error.UnavailableException;
import java.nio.file.Path;
import java.time.Duration;

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

    /** Says no path: this message reaches API clients in a 503. */
    static RuntimePlaneException overloaded(WalOptions options, int pendingAppends, long pendingBytes) {
        return new OverloadedException("the write-ahead log is overloaded: " + pendingAppends + " appends ("
                + pendingBytes + " bytes) wait for the disk, the limits are " + options.maxPendingAppends()
                + " appends and " + options.maxPendingBytes() + " bytes; retry later", Duration.ofSeconds(1));
    }

    static RuntimePlaneException closed(Path dir) {
        return new UnavailableException("the write-ahead log in " + dir.toAbsolutePath() + " is closed", null);
    }
}
