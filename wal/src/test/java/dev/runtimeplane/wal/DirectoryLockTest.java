package dev.runtimeplane.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondProcessCannotOpenTheDirectoryUntilTheFirstDies() throws Exception {
        try (ChildJvm holder = ChildJvm.start(LockHolderMain.class, dir.toString())) {
            assertTrue(holder.awaitLine("locked", 60, TimeUnit.SECONDS), "the child opened the log");

            RuntimePlaneException refused = assertThrows(RuntimePlaneException.class,
                    () -> WriteAheadLog.open(WalOptions.builder(dir).build()));
            assertEquals(ErrorCode.CONFLICT, refused.code());
            assertTrue(refused.getMessage().contains(dir.toAbsolutePath().toString()), refused.getMessage());
            assertTrue(refused.getMessage().contains("process "), "names the holder: " + refused.getMessage());

            RuntimePlaneException repairRefused = assertThrows(RuntimePlaneException.class,
                    () -> WalMaintenance.repair(dir));
            assertEquals(ErrorCode.CONFLICT, repairRefused.code());

            holder.kill();
        }
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).build())) {
            assertEquals(1, log.lastSequence(), "the lock died with its process");
        }
    }
}
