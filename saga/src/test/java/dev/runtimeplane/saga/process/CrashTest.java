package dev.runtimeplane.saga.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.saga.ExecutionView;
import dev.runtimeplane.saga.SagaCoordinator;
import dev.runtimeplane.saga.SagaCoordinatorOptions;
import dev.runtimeplane.saga.SagaEvent;
import dev.runtimeplane.saga.SagaEventType;
import dev.runtimeplane.saga.SagaRegistry;
import dev.runtimeplane.saga.SagaState;
import dev.runtimeplane.saga.StepStatus;
import dev.runtimeplane.saga.StepView;
import dev.runtimeplane.state.StateSurface;
import dev.runtimeplane.saga.testing.Surfaces;
import dev.runtimeplane.testkit.RedisTestKit;
import dev.runtimeplane.wal.FsyncPolicy;
import dev.runtimeplane.wal.WalOptions;
import dev.runtimeplane.wal.WriteAheadLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM runs 1,000 sagas on the real WAL (fsync ALWAYS) and a real Redis and is killed with
 * {@code kill -9} at random moments, then restarted, until every execution is terminal. Then: every
 * acknowledged execution ended as its script says, each step result is recorded once, compensations
 * ran in reverse order, and step runs that were repeated were all cut short by a kill.
 */
class CrashTest {

    private static final int SAGAS = 1_000;
    private static final int KILLS = 6;

    @TempDir
    Path dir;

    @Test
    void sagasSurviveRandomKillsWithEveryRuleKept() throws Exception {
        String redis = RedisTestKit.shared().uri();
        String prefix = "crash-" + ThreadLocalRandom.current().nextInt(1_000_000);
        Path wal = dir.resolve("wal");
        Path effects = dir.resolve("effects.txt");
        Path acks = dir.resolve("acks.txt");
        Files.createFile(effects);
        Files.createFile(acks);
        int incarnation = 0;
        int kills = 0;
        while (true) {
            incarnation++;
            List<String> args = List.of(wal.toString(), redis, prefix, effects.toString(), acks.toString(),
                    Integer.toString(SAGAS), Integer.toString(incarnation));
            try (ChildJvm child = ChildJvm.start(CrashWorker.class, args, dir.resolve("child-" + incarnation + ".log"))) {
                assertTrue(child.awaitLine("READY", 60_000), "the worker did not start:\n" + child.tail());
                if (kills < KILLS && child.awaitLine("WORKING", 60_000)) {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(0, 500));
                    if (!child.lines().stream().anyMatch(l -> l.startsWith("ALL_TERMINAL"))) {
                        child.kill();
                        kills++;
                        continue;
                    }
                }
                assertEquals(0, child.waitFor(180_000), "the worker failed:\n" + child.tail());
                assertTrue(child.lines().stream().anyMatch(l -> l.startsWith("ALL_TERMINAL")), child.tail());
                break;
            }
        }
        assertTrue(kills > 0, "no worker was killed while it worked");
        verify(redis, prefix, effects, acks, incarnation, kills);
    }

    private void verify(String redis, String prefix, Path effects, Path acks, int finalIncarnation, int kills)
            throws Exception {
        Map<Integer, ExecutionId> acknowledged = new HashMap<>();
        for (String line : Files.readAllLines(acks)) {
            String[] parts = line.split(" ");
            ExecutionId id = ExecutionId.of(parts[2]);
            ExecutionId earlier = acknowledged.putIfAbsent(Integer.parseInt(parts[1]), id);
            assertTrue(earlier == null || earlier.equals(id), "saga " + parts[1] + " was acknowledged as two executions");
        }
        assertEquals(SAGAS, acknowledged.size());

        Map<String, List<String[]>> runsByExecution = new HashMap<>();
        for (String line : Files.readAllLines(effects)) {
            String[] parts = line.split(" ");
            runsByExecution.computeIfAbsent(parts[2], k -> new ArrayList<>()).add(parts);
        }

        int duplicateRuns = 0;
        int duplicateCompensations = 0;
        try (WriteAheadLog unusedWal = WriteAheadLog.open(WalOptions.builder(dir.resolve("verifier-wal"))
                .fsyncPolicy(FsyncPolicy.NONE).build());
             StateSurface surface = Surfaces.open(redis, prefix)) {
            SagaRegistry registry = new SagaRegistry();
            SagaCoordinator reader = new SagaCoordinator(registry, unusedWal, surface.executions(),
                    SagaCoordinatorOptions.builder("verifier").build());
            reader.start();
            try {
                for (Map.Entry<Integer, ExecutionId> entry : acknowledged.entrySet()) {
                    int i = entry.getKey();
                    ExecutionKey key = new ExecutionKey(CrashWorker.OWNER.tenant(), entry.getValue());
                    ExecutionView view = reader.status(key);
                    List<SagaEvent> history = reader.history(key);
                    assertEquals(CrashScript.expectedState(i), view.state(), "saga " + i);
                    checkResultsRecordedOnce(i, view, history);
                    List<String[]> lines = runsByExecution.getOrDefault(entry.getValue().value(), List.of());
                    checkCompensationOrder(i, lines, history);
                    duplicateRuns += countUnrecorded(i, lines, history, "RUN", SagaEventType.STEP_SUCCEEDED,
                            SagaEventType.STEP_FAILED, finalIncarnation);
                    duplicateCompensations += countUnrecorded(i, lines, history, "COMP",
                            SagaEventType.STEP_COMPENSATED, SagaEventType.STEP_COMPENSATION_FAILED, finalIncarnation);
                }
            } finally {
                reader.close();
            }
        }
        Map<String, Integer> runsPerIncarnation = new java.util.TreeMap<>();
        for (List<String[]> lines : runsByExecution.values()) {
            for (String[] line : lines) {
                runsPerIncarnation.merge(line[1], 1, Integer::sum);
            }
        }
        System.out.printf("crash test: %d sagas, %d kills (%d incarnations; step and compensation runs per incarnation"
                        + " %s), %d duplicate step runs and %d duplicate compensation runs, all cut short by a kill%n",
                SAGAS, kills, finalIncarnation, runsPerIncarnation, duplicateRuns, duplicateCompensations);
    }

    /** Each step that completed has exactly one STEP_SUCCEEDED event and its scripted result. */
    private static void checkResultsRecordedOnce(int i, ExecutionView view, List<SagaEvent> history) {
        for (StepView step : view.steps()) {
            long successes = history.stream()
                    .filter(e -> e.type() == SagaEventType.STEP_SUCCEEDED && step.name().equals(e.step())).count();
            boolean completed = step.status() == StepStatus.SUCCEEDED || step.status() == StepStatus.COMPENSATED;
            assertEquals(completed ? 1 : 0, successes, "saga " + i + " step " + step.name() + " successes");
            if (completed) {
                assertEquals(CrashScript.expectedResult(i, step.name()), step.result(), "saga " + i);
            }
        }
        for (int index = 0; index < history.size(); index++) {
            assertEquals(index, history.get(index).index(), "saga " + i + " history has a gap");
        }
    }

    /** Compensations ran from the highest completed step down: the step index never goes up again. */
    private static void checkCompensationOrder(int i, List<String[]> lines, List<SagaEvent> history) {
        int previous = Integer.MAX_VALUE;
        for (String[] line : lines) {
            if (line[0].equals("COMP")) {
                int step = stepIndex(line[3]);
                assertTrue(step <= previous, "saga " + i + " compensated out of order");
                previous = step;
            }
        }
        List<Integer> recorded = history.stream().filter(e -> e.type() == SagaEventType.STEP_COMPENSATED)
                .map(e -> stepIndex(e.step())).toList();
        for (int k = 1; k < recorded.size(); k++) {
            assertTrue(recorded.get(k) < recorded.get(k - 1), "saga " + i + " compensations recorded out of order");
        }
        if (CrashScript.expectedState(i) == SagaState.COMPENSATED) {
            assertEquals(i % 10 == 3 ? List.of(0) : List.of(1, 0), recorded, "saga " + i);
        }
    }

    /**
     * Runs whose outcome was never recorded: they were in flight when a kill struck. Each attempt number
     * runs at most once, and such a run must come from an incarnation that was killed.
     */
    private static int countUnrecorded(int i, List<String[]> lines, List<SagaEvent> history, String kind,
                                       SagaEventType success, SagaEventType failure, int finalIncarnation) {
        Set<String> recorded = new HashSet<>();
        for (SagaEvent event : history) {
            if (event.type() == success || event.type() == failure) {
                recorded.add(event.step() + "#" + event.attempt());
            }
        }
        Set<String> seen = new HashSet<>();
        int unrecorded = 0;
        for (String[] line : lines) {
            if (!line[0].equals(kind)) {
                continue;
            }
            String attempt = line[3] + "#" + line[4];
            assertTrue(seen.add(attempt), "saga " + i + " ran " + kind + " " + attempt + " twice");
            if (!recorded.contains(attempt)) {
                unrecorded++;
                assertTrue(Integer.parseInt(line[1]) < finalIncarnation,
                        "saga " + i + ": " + kind + " " + attempt + " went unrecorded without a kill");
            }
        }
        return unrecorded;
    }

    private static int stepIndex(String step) {
        return Integer.parseInt(step.substring(1));
    }
}
