package dev.runtimeplane.state;

import dev.runtimeplane.core.component.HealthStatus;
import dev.runtimeplane.wal.FsyncPolicy;
import dev.runtimeplane.wal.WalOptions;
import dev.runtimeplane.wal.WriteAheadLog;
import java.nio.file.Path;

/**
 * One replica's session side for tests: its own real write-ahead log (fsync always) behind a
 * {@link HeldJournal}, a state surface journaling into it, and the session journal component, started
 * and waited for until ready.
 */
record JournaledReplica(WriteAheadLog wal, HeldJournal held, StateSurface surface, SessionJournal journal)
        implements AutoCloseable {

    static JournaledReplica start(Path walDirectory, StateSurfaceOptions options) {
        WriteAheadLog wal = WriteAheadLog.open(WalOptions.builder(walDirectory)
                .fsyncPolicy(FsyncPolicy.ALWAYS)
                .segmentSize(WalOptions.MIN_SEGMENT_SIZE)
                .build());
        HeldJournal held = new HeldJournal(wal);
        StateSurface surface = new StateSurface(options, held);
        surface.start();
        Await.healthUp(surface);
        SessionJournal journal = surface.sessionJournal().orElseThrow();
        journal.start();
        JournaledReplica replica = new JournaledReplica(wal, held, surface, journal);
        replica.awaitJournalUp();
        return replica;
    }

    void awaitJournalUp() {
        Await.until(() -> "the session journal is up: " + journal.health(), Await.LIMIT,
                () -> journal.health().status() == HealthStatus.UP);
    }

    /** A numeric detail of the session journal's health, or -1 when absent. */
    long journalDetail(String key) {
        return journal.health().details().get(key) instanceof Number number ? number.longValue() : -1;
    }

    SessionStore sessions() {
        return surface.sessions();
    }

    SessionStateStore state() {
        return surface.sessionState();
    }

    @Override
    public void close() {
        held.release();
        journal.close();
        wal.close();
        surface.close();
    }
}
