package dev.runtimeplane.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.component.HealthStatus;
import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.OverloadedException;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.error.TooLargeException;
import dev.runtimeplane.core.port.JournalEntry;
import dev.runtimeplane.core.port.JournalRecord;
import dev.runtimeplane.core.time.ManualClock;
import java.io.IOException;
import java.io.SyncFailedException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's batching, acknowledgement and failure rules, observed through an instrumented channel. */
class GroupCommitTest {

    @TempDir
    Path dir;

    /** Counts writes and forces once armed; can hold forces at a gate or make them fail. */
    private static final class Disk implements InstrumentedChannel.Hooks {
        final AtomicBoolean armed = new AtomicBoolean();
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger forces = new AtomicInteger();
        final AtomicBoolean failForce = new AtomicBoolean();
        volatile CountDownLatch gate = new CountDownLatch(0);
        final CountDownLatch forceEntered = new CountDownLatch(1);

        @Override
        public void beforeWrite() {
            if (armed.get()) {
                writes.incrementAndGet();
            }
        }

        @Override
        public void beforeForce() throws IOException {
            if (!armed.get()) {
                return;
            }
            forces.incrementAndGet();
            forceEntered.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            if (failForce.get()) {
                throw new SyncFailedException("simulated fdatasync failure (EIO)");
            }
        }
    }

    private WriteAheadLog open(Disk disk, FsyncPolicy policy, Duration interval) {
        return WriteAheadLog.open(WalOptions.builder(dir).fsyncPolicy(policy).fsyncInterval(interval)
                .channelOpener(InstrumentedChannel.opener(disk)).build());
    }

    @Test
    void appendsQueuedDuringAForceShareTheNextWriteAndForceAndNoneIsAcknowledgedBeforeItsForce() throws Exception {
        Disk disk = new Disk();
        disk.gate = new CountDownLatch(1);
        try (WriteAheadLog log = open(disk, FsyncPolicy.ALWAYS, Duration.ofSeconds(1))) {
            disk.armed.set(true);
            CompletableFuture<Long> first = log.append(1, new byte[10]);
            assertTrue(disk.forceEntered.await(10, TimeUnit.SECONDS), "the lone append is written and forced at once");
            List<CompletableFuture<Long>> queued = List.of(log.append(1, new byte[10]), log.append(1, new byte[10]),
                    log.append(1, new byte[10]));
            // Every acknowledgement is checked when it happens, however late: none may come before the force
            // that covers it was released.
            AtomicBoolean forceReleased = new AtomicBoolean();
            AtomicInteger early = new AtomicInteger();
            for (CompletableFuture<Long> future : List.of(first, queued.get(0), queued.get(1), queued.get(2))) {
                future.whenComplete((sequence, error) -> {
                    if (!forceReleased.get()) {
                        early.incrementAndGet();
                    }
                });
            }
            forceReleased.set(true);
            disk.gate.countDown();
            assertEquals(1L, first.get(10, TimeUnit.SECONDS));
            assertEquals(List.of(2L, 3L, 4L), queued.stream().map(CompletableFuture::join).toList());
            assertEquals(0, early.get(), "acknowledged only after the force that covers it");
            assertEquals(2, disk.writes.get(), "one write for the lone append, one for the three queued behind it");
            assertEquals(2, disk.forces.get(), "one force each");
            WalMetrics.Distribution batches = log.metrics().batchRecords();
            assertEquals(2, batches.count());
            assertEquals(3, batches.max());
        }
    }

    @Test
    void underIntervalAndNoneAppendsAreAcknowledgedAfterTheWriteAndFlushForces() {
        for (FsyncPolicy policy : List.of(FsyncPolicy.INTERVAL, FsyncPolicy.NONE)) {
            Disk disk = new Disk();
            try (WriteAheadLog log = open(disk, policy, Duration.ofHours(1))) {
                disk.armed.set(true);
                for (int i = 0; i < 50; i++) {
                    log.append(1, new byte[10]).join();
                }
                assertEquals(0, disk.forces.get(), policy + ": no force before the interval / ever");
                log.flush();
                assertEquals(1, disk.forces.get(), policy + ": flush forces");
                log.flush();
                assertEquals(1, disk.forces.get(), policy + ": nothing new to force");
            }
        }
    }

    @Test
    void underIntervalTheWriterForcesOnItsOwn() throws InterruptedException {
        Disk disk = new Disk();
        try (WriteAheadLog log = open(disk, FsyncPolicy.INTERVAL, Duration.ofMillis(20))) {
            disk.armed.set(true);
            log.append(1, new byte[10]).join();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (disk.forces.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1, disk.forces.get(), "forced by the interval, without a flush");
        }
    }

    @Test
    void closeForcesWhatNoneLeftUnforced() {
        Disk disk = new Disk();
        WriteAheadLog log = open(disk, FsyncPolicy.NONE, Duration.ofSeconds(1));
        disk.armed.set(true);
        log.append(1, new byte[10]).join();
        log.close();
        assertEquals(1, disk.forces.get());
    }

    @Test
    void anFsyncFailureFailsThePendingAppendsAndEveryLaterOneAndTurnsHealthDown() throws Exception {
        Disk disk = new Disk();
        try (WriteAheadLog log = open(disk, FsyncPolicy.ALWAYS, Duration.ofSeconds(1))) {
            assertEquals(1L, log.append(1, new byte[10]).join());
            disk.gate = new CountDownLatch(1);
            disk.failForce.set(true);
            disk.armed.set(true);

            CompletableFuture<Long> inFlight = log.append(1, new byte[10]);
            assertTrue(disk.forceEntered.await(10, TimeUnit.SECONDS));
            CompletableFuture<Long> queued = log.append(1, new byte[10]);
            disk.gate.countDown();

            RuntimePlaneException failure = failureOf(inFlight);
            assertEquals(ErrorCode.DURABILITY_FAILURE, failure.code());
            assertTrue(failure.getMessage().contains(dir.toString()), failure.getMessage());
            assertTrue(failure.getCause() instanceof SyncFailedException);
            assertSame(failure, failureOf(queued));
            assertSame(failure, failureOf(log.append(1, new byte[10])), "later appends fail at once");
            assertEquals(1, disk.forces.get(), "the failed force is never retried");
            assertSame(failure, assertThrows(RuntimePlaneException.class, log::flush));

            HealthSnapshot health = log.health();
            assertEquals(HealthStatus.DOWN, health.status());
            assertFalse(health.live(), "a dead writer needs a restart");
            assertTrue(health.reason().contains("simulated fdatasync failure"), health.reason());
        }
        assertEquals(1, disk.forces.get(), "close does not retry the force either");
    }

    @Test
    void appendsPastThePendingBoundsAreRefusedAtOnceAsOverloadedAndEveryAcceptedOneIsWritten() throws Exception {
        Disk disk = new Disk();
        disk.gate = new CountDownLatch(1);
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).maxPendingAppends(8).maxPendingBytes(2000)
                .channelOpener(InstrumentedChannel.opener(disk)).build());
             AutoCloseable releaseOnFailure = disk.gate::countDown) {
            disk.armed.set(true);
            List<CompletableFuture<Long>> accepted = new ArrayList<>();
            accepted.add(log.append(1, new byte[100]));
            assertTrue(disk.forceEntered.await(10, TimeUnit.SECONDS), "the writer is held inside its force");
            for (int i = 0; i < 6; i++) {
                accepted.add(log.append(2, new byte[] {(byte) i}));
            }
            long pendingBytes = RecordFormat.encodedSize(100) + 6 * RecordFormat.encodedSize(1);

            CompletableFuture<Long> tooManyBytes = log.append(3, new byte[2000 - (int) pendingBytes]);
            assertOverloaded(tooManyBytes, "7 appends (" + pendingBytes + " bytes) wait");
            assertThrows(TooLargeException.class, () -> log.appendBatch(List.of(new JournalRecord(4, new byte[1000]),
                    new JournalRecord(4, new byte[1000]))), "a batch larger than the byte bound can never fit");
            accepted.add(log.append(2, new byte[] {6}));
            CompletableFuture<Long> tooManyAppends = log.append(3, new byte[1]);
            assertOverloaded(tooManyAppends, "8 appends (");

            HealthSnapshot health = log.health();
            assertEquals(HealthStatus.UP, health.status());
            assertEquals(8, health.details().get("pendingAppends"), "read live while the writer is held");
            assertEquals(pendingBytes + RecordFormat.encodedSize(1), health.details().get("pendingBytes"));
            assertEquals(2L, log.metrics().overloaded());
            accepted.forEach(future -> assertFalse(future.isDone(), "nothing is acknowledged before its force"));

            disk.gate.countDown();
            assertEquals(LongStream.rangeClosed(1, 8).boxed().toList(), accepted.stream().map(CompletableFuture::join).toList());
            assertEquals(9L, log.append(5, new byte[1]).join(), "room again once the writer caught up");
            assertEquals(0L, log.health().details().get("pendingBytes"));
        }
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).build())) {
            List<JournalEntry> entries = WalFixtures.readAll(log, 1);
            assertEquals(List.of(1, 2, 2, 2, 2, 2, 2, 2, 5), entries.stream().map(JournalEntry::type).toList(),
                    "every accepted append is in the log, no refused one");
            assertArrayEquals(new byte[] {6}, entries.get(7).payload());
        }
    }

    private void assertOverloaded(CompletableFuture<Long> refused, String pending) {
        assertTrue(refused.isCompletedExceptionally(), "refused at once, never queued or blocked");
        RuntimePlaneException error = failureOf(refused);
        assertEquals(ErrorCode.OVERLOADED, error.code());
        assertTrue(error instanceof OverloadedException overloaded && !overloaded.retryAfter().isNegative(),
                "an OverloadedException with a Retry-After: " + error);
        assertFalse(error.getMessage().contains(dir.toAbsolutePath().toString()),
                "no server path in a message that reaches API clients: " + error.getMessage());
        assertTrue(error.getMessage().contains(pending), error.getMessage());
        assertTrue(error.getMessage().contains("the limits are 8 appends and 2000 bytes"), error.getMessage());
    }

    private static RuntimePlaneException failureOf(CompletableFuture<Long> future) {
        CompletionException failed = assertThrows(CompletionException.class, future::join);
        return (RuntimePlaneException) failed.getCause();
    }

    @Test
    void aWriteStuckInsideOneFsyncMakesTheLogNotLive() throws Exception {
        Disk disk = new Disk();
        disk.gate = new CountDownLatch(1);
        ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));
        try (WriteAheadLog log = WriteAheadLog.open(WalOptions.builder(dir).clock(clock)
                .channelOpener(InstrumentedChannel.opener(disk)).build())) {
            disk.armed.set(true);
            CompletableFuture<Long> stuck = log.append(1, new byte[10]);
            assertTrue(disk.forceEntered.await(10, TimeUnit.SECONDS));
            assertTrue(log.health().live(), "a force in progress is normal");
            clock.advance(WalHealth.STUCK_AFTER.plusSeconds(1));
            HealthSnapshot health = log.health();
            assertFalse(health.live());
            assertEquals(HealthStatus.DOWN, health.status());
            assertTrue(health.reason().contains("11 s"), health.reason());

            disk.gate.countDown();
            stuck.join();
            assertTrue(log.health().live(), "live again once the force returns");
        }
    }
}
