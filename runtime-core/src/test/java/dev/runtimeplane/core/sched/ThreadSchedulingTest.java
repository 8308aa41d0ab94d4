package dev.runtimeplane.core.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What a thread asks for is what the kernel schedules it with: read back from /proc, not from the call. */
class ThreadSchedulingTest {

    private static final Path OWN_SCHED = Path.of("/proc/thread-self/sched");
    private static final Path OWN_STAT = Path.of("/proc/thread-self/stat");

    @Test
    void theCallingThreadGetsTheRequestedSliceAndOtherThreadsKeepTheirs() throws Exception {
        assumeTrue(Files.isReadable(OWN_SCHED) && sliceNanos() > 0, "a Linux kernel that reports se.slice");
        long defaultSlice = sliceNanos();
        assertNotEquals(ThreadScheduling.MIN.toNanos(), defaultSlice, "the kernel's default slice is not the minimum");

        AtomicBoolean applied = new AtomicBoolean();
        AtomicLong slice = new AtomicLong();
        Thread shortSliced = Thread.ofPlatform().start(() -> {
            applied.set(ThreadScheduling.requestSlice(Duration.ofNanos(1))); // below the minimum: clamped
            slice.set(sliceNanos());
        });
        shortSliced.join();

        assertTrue(applied.get());
        assertEquals(ThreadScheduling.MIN.toNanos(), slice.get());
        assertEquals(defaultSlice, sliceNanos(), "only the calling thread changed");
    }

    @Test
    void theCallingThreadAloneGetsTheLowerPriority() throws Exception {
        assumeTrue(Files.isReadable(OWN_STAT), "Linux /proc");
        int before = nice();
        AtomicBoolean applied = new AtomicBoolean();
        AtomicLong nice = new AtomicLong();
        Thread lowered = Thread.ofPlatform().start(() -> {
            applied.set(ThreadScheduling.lowerPriority(before + 7));
            nice.set(nice());
        });
        lowered.join();

        assertTrue(applied.get());
        assertEquals(before + 7, nice.get());
        assertEquals(before, nice(), "only the calling thread changed");
    }

    /** The nice field (19th) of the calling thread's /proc stat; the command name before it may hold spaces. */
    private static int nice() {
        try {
            String stat = Files.readString(OWN_STAT);
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
