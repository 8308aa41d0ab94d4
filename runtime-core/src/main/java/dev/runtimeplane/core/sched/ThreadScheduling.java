package dev.runtimeplane.core.sched;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a thread may ask of the Linux scheduler for itself, without privilege:
 * <ul>
 * <li>{@link #requestSlice}: a shorter CPU time slice ({@code sched_setattr} with {@code sched_runtime},
 * Linux 6.12 and later). The EEVDF scheduler lets a waking thread whose slice is shorter than the running
 * thread's preempt it at once; with the default slice it waits until the running thread's slice ends. For a
 * thread that sleeps most of the time and must answer fast when it wakes (the health probes' event loop);
 * its priority is unchanged, so it gets no more CPU than before, only sooner.</li>
 * <li>{@link #lowerPriority}: a lower priority (a higher nice value, {@code setpriority}), for threads
 * running work that may burn CPU (saga steps), so that the API, Redis's client and the probes run first
 * when the cores are saturated. It cannot be undone without privilege, and threads the thread starts
 * inherit it.</li>
 * </ul>
 *
 * <p>Through the FFM API ({@code java.lang.foreign}), no JNI. Anywhere it cannot apply (not Linux, an
 * architecture without known syscall numbers, native access denied, a kernel that ignores the slice) it
 * logs why once and the thread runs as before.
 */
public final class ThreadScheduling {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadScheduling.class);

    /** The kernel clamps a requested slice to 0.1..100 ms. */
    public static final Duration MIN = Duration.ofNanos(100_000);
    public static final Duration MAX = Duration.ofMillis(100);

    private static final int SCHED_OTHER = 0;
    private static final int PRIO_PROCESS = 0;
    /** Lowest priority Linux has: nice 19. */
    public static final int MAX_NICE = 19;
    /** struct sched_attr, SCHED_ATTR_SIZE_VER1 (include/uapi/linux/sched/types.h). */
    private static final StructLayout SCHED_ATTR = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("size"), ValueLayout.JAVA_INT.withName("sched_policy"),
            ValueLayout.JAVA_LONG.withName("sched_flags"), ValueLayout.JAVA_INT.withName("sched_nice"),
            ValueLayout.JAVA_INT.withName("sched_priority"), ValueLayout.JAVA_LONG.withName("sched_runtime"),
            ValueLayout.JAVA_LONG.withName("sched_deadline"), ValueLayout.JAVA_LONG.withName("sched_period"),
            ValueLayout.JAVA_INT.withName("sched_util_min"), ValueLayout.JAVA_INT.withName("sched_util_max"));
    private static final VarHandle SIZE = field("size");
    private static final VarHandle POLICY = field("sched_policy");
    private static final VarHandle RUNTIME = field("sched_runtime");

    private static final Syscalls SYSCALLS = Syscalls.load();
    private static volatile boolean skipLogged;

    private ThreadScheduling() {
    }

    /**
     * Lowers the calling thread's priority to {@code nice} (1..{@link #MAX_NICE}; on Linux {@code
     * setpriority(PRIO_PROCESS, 0, nice)} changes the calling thread only). Returns whether it applied; when
     * not, the reason is logged once.
     */
    public static boolean lowerPriority(int nice) {
        if (nice < 1 || nice > MAX_NICE) {
            throw new IllegalArgumentException("nice must be 1.." + MAX_NICE + ", was " + nice);
        }
        if (SYSCALLS.unavailable != null) {
            return false;
        }
        try {
            return SYSCALLS.setpriority(nice) == 0 || skipped("setpriority failed");
        } catch (Throwable e) {
            return skipped(e.toString());
        }
    }

    /**
     * Gives the calling thread time slices of {@code slice} (clamped to {@link #MIN}..{@link #MAX}).
     * Returns whether the kernel applied it; when not, the reason is logged once.
     */
    public static boolean requestSlice(Duration slice) {
        if (SYSCALLS.unavailable != null) {
            return false;
        }
        long nanos = Math.clamp(slice.toNanos(), MIN.toNanos(), MAX.toNanos());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(SCHED_ATTR);
            if (SYSCALLS.getattr(attr) != 0) {
                return skipped("sched_getattr failed");
            }
            if ((int) POLICY.get(attr, 0L) != SCHED_OTHER) {
                return skipped("the thread does not run under SCHED_OTHER"); // e.g. started under chrt: leave it
            }
            SIZE.set(attr, 0L, (int) SCHED_ATTR.byteSize());
            RUNTIME.set(attr, 0L, nanos);
            if (SYSCALLS.setattr(attr) != 0) {
                return skipped("sched_setattr failed");
            }
            if (SYSCALLS.getattr(attr) != 0 || (long) RUNTIME.get(attr, 0L) != nanos) {
                return skipped("this kernel ignores a thread's slice (Linux 6.12 or later honours it)");
            }
            return true;
        } catch (Throwable e) {
            return skipped(e.toString());
        }
    }

    private static boolean skipped(String why) {
        if (!skipLogged) {
            skipLogged = true;
            LOG.info("a thread's scheduling request is not applied ({}); it runs as before", why);
        }
        return false;
    }

    private static VarHandle field(String name) {
        return SCHED_ATTR.varHandle(MemoryLayout.PathElement.groupElement(name));
    }

    /** {@code syscall(2)} bound for sched_getattr and sched_setattr, and setpriority, on the calling thread. */
    private record Syscalls(MethodHandle syscall, MethodHandle setpriority, long getattrNumber, long setattrNumber,
                            String unavailable) {

        static Syscalls load() {
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
                return unavailable("not Linux");
            }
            String arch = System.getProperty("os.arch", "");
            long getattr;
            long setattr;
            switch (arch) {
                case "amd64", "x86_64" -> {
                    setattr = 314;
                    getattr = 315;
                }
                case "aarch64", "riscv64" -> {
                    setattr = 274;
                    getattr = 275;
                }
                default -> {
                    return unavailable("no sched_setattr syscall number known for " + arch);
                }
            }
            try {
                Linker linker = Linker.nativeLinker();
                MethodHandle syscall = linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                        Linker.Option.firstVariadicArg(1));
                MethodHandle setpriority = linker.downcallHandle(linker.defaultLookup().find("setpriority").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_INT));
                return new Syscalls(syscall, setpriority, getattr, setattr, null);
            } catch (Throwable e) { // IllegalCallerException when native access is denied
                return unavailable("native access unavailable: " + e);
            }
        }

        private static Syscalls unavailable(String why) {
            LOG.info("threads' scheduling cannot be adjusted ({}); they run as before", why);
            return new Syscalls(null, null, 0, 0, why);
        }

        /** sched_getattr(0, attr, size, 0). */
        long getattr(MemorySegment attr) throws Throwable {
            return (long) syscall.invokeExact(getattrNumber, 0L, attr, SCHED_ATTR.byteSize(), 0L);
        }

        /** setpriority(PRIO_PROCESS, 0, nice): 0 names the calling thread. */
        int setpriority(int nice) throws Throwable {
            return (int) setpriority.invokeExact(PRIO_PROCESS, 0, nice);
        }

        /** sched_setattr(0, attr, 0); the last argument is ignored. */
        long setattr(MemorySegment attr) throws Throwable {
            return (long) syscall.invokeExact(setattrNumber, 0L, attr, 0L, 0L);
        }
    }
}
