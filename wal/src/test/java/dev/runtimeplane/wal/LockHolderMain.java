package dev.runtimeplane.wal;

import java.io.IOException;
import java.nio.file.Path;

/** Child JVM for the lock test: opens the log, says "locked", and holds it until stdin closes or it is killed. */
public final class LockHolderMain {

    private LockHolderMain() {
    }

    public static void main(String[] args) throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(Path.of(args[0])).build())) {
            log.append(1, new byte[] {42}).join();
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock
            }
        }
    }
}
