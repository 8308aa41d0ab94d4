package dev.runtimeplane.saga;

import static dev.runtimeplane.saga.Harness.OWNER;
import static dev.runtimeplane.saga.Harness.finish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runtimeplane.core.id.ExecutionId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code stepThreadNice}: step attempts run at the configured priority, read from /proc as the kernel
 * schedules them, and no other thread ends up at it (threads inherit the priority of the thread that
 * starts them: the scheduler and the virtual threads' carriers must not be started from a step thread).
 */
class StepThreadPriorityTest {

    private static final Path OWN_STAT = Path.of("/proc/thread-self/stat");

    private final Harness harness = new Harness();
    private final Set<Integer> stepNices = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void linux() throws IOException {
        assumeTrue(Files.isReadable(OWN_STAT), "Linux /proc");
        assumeTrue(nice(OWN_STAT) == 0, "a JVM at nice 0 (a lower priority cannot be raised back to test)");
        harness.registry.register(SagaDefinition.builder("prio", 1)
                .step("a", this::recordNice).step("b", this::recordNice).build());
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void stepsRunAtTheConfiguredNiceAndNoOtherThreadDoes() throws Exception {
        SagaCoordinator coordinator = harness.start("prio-replica", harness.journal, harness.store,
                options -> options.stepThreadNice(10));
        runSagas(coordinator, 20);

        assertEquals(Set.of(10), stepNices);
        Map<String, Integer> othersNiced = new TreeMap<>();
        threadNices().forEach((thread, nice) -> {
            if (nice != 0 && !thread.startsWith("saga-step-") && !thread.startsWith("saga-prio-")) {
                othersNiced.put(thread, nice);
            }
        });
        assertTrue(othersNiced.isEmpty(), "threads other than step threads at a lower priority: " + othersNiced);
    }

    @Test
    void byDefaultStepsRunAtTheProcessPriority() throws Exception {
        runSagas(harness.start("plain-replica"), 3);

        assertEquals(Set.of(0), stepNices);
    }

    private void runSagas(SagaCoordinator coordinator, int count) throws Exception {
        List<ExecutionId> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            started.add(coordinator.start("prio", OWNER, "{}", null));
        }
        for (ExecutionId id : started) {
            assertEquals(SagaState.COMPLETED, finish(coordinator, id).state());
        }
    }

    private String recordNice(StepContext context) throws IOException {
        stepNices.add(nice(OWN_STAT));
        return "{}";
    }

    /** Each live thread of this JVM by its kernel name (15 characters at most), with its nice value. */
    private static Map<String, Integer> threadNices() throws IOException {
        Map<String, Integer> nices = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    nices.put(Files.readString(task.resolve("comm")).strip() + " (" + task.getFileName() + ")",
                            nice(task.resolve("stat")));
                } catch (IOException ended) {
                    // the thread ended meanwhile
                }
            }
        }
        return nices;
    }

    /** The nice field (the 19th) of a /proc stat file; the command name before it may hold spaces. */
    private static int nice(Path stat) throws IOException {
        String text = Files.readString(stat);
        return Integer.parseInt(text.substring(text.lastIndexOf(')') + 2).split(" ")[16]);
    }
}
