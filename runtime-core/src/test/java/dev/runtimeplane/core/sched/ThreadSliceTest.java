package dev.runtimeplane.core.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The slice a thread asks for is the one the kernel schedules it with (read back from /proc, not from the call). */
class ThreadSliceTest {

    private static final Path OWN_SCHED = Path.of("/proc/thread-self/sched");

    @Test
    void theCallingThreadGetsTheRequestedSliceAndOtherThreadsKeepTheirs() throws Exception {
        assumeTrue(Files.isReadable(OWN_SCHED) && sliceNanos() > 0, "a Linux kernel that reports se.slice");
        long defaultSlice = sliceNanos();
        assertNotEquals(ThreadSlice.MIN.toNanos(), defaultSlice, "the kernel's default slice is not the minimum");

        AtomicBoolean applied = new AtomicBoolean();
        AtomicLong slice = new AtomicLong();
        Thread shortSliced = Thread.ofPlatform().start(() -> {
            applied.set(ThreadSlice.request(Duration.ofNanos(1))); // below the minimum: clamped
            slice.set(sliceNanos());
        });
        shortSliced.join();

        assertTrue(applied.get());
        assertEquals(ThreadSlice.MIN.toNanos(), slice.get());
        assertEquals(defaultSlice, sliceNanos(), "only the calling thread changed");
    }

    /** The se.slice line of the calling thread's /proc sched file, in nanoseconds (0 when absent). */
    private static long sliceNanos() {
        try {
            return Files.readAllLines(OWN_SCHED).stream().filter(line -> line.startsWith("se.slice"))
                    .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).strip()))
                    .findFirst().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }
}
