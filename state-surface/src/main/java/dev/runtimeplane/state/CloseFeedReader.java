package dev.runtimeplane.state;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Journals the closes other replicas publish on the {@link CloseFeed}, for the sessions this replica's
 * journal tracks, so that its replay never brings them back. Reads every 100 ms, at most 256 closes at
 * a time, with a non-blocking XREAD on the shared connection; on its own virtual thread.
 */
final class CloseFeedReader {

    private static final Logger LOG = LoggerFactory.getLogger(CloseFeedReader.class);
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final int BATCH = 256;
    /** The id before the first entry of a stream. */
    private static final String START = "0";

    private final CloseFeed feed;
    private final SessionJournalWriter writer;
    private final LongAdder journaled = new LongAdder();
    private volatile String position = START;

    CloseFeedReader(CloseFeed feed, SessionJournalWriter writer) {
        this.feed = feed;
        this.writer = writer;
    }

    /** Closes journaled from other replicas so far. */
    long journaled() {
        return journaled.sum();
    }

    /** Reads the stream from its start again: Redis lost its data, and the new stream's ids may be below the old ones. */
    void rewind() {
        position = START;
    }

    /** Reads until interrupted. */
    void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                if (readOnce() == 0) {
                    Thread.sleep(INTERVAL);
                }
            } catch (InterruptedException e) {
                return;
            } catch (ExecutionException | RuntimeException e) {
                // Redis away: the state surface's health says so; read again after a pause.
                LOG.debug("cannot read the session close feed", e);
                try {
                    Thread.sleep(INTERVAL);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private int readOnce() throws InterruptedException, ExecutionException {
        String from = position;
        List<CloseFeed.Close> closes = feed.read(from, BATCH).get();
        for (CloseFeed.Close close : closes) {
            SessionTracker.Tracked tracked = writer.tracker().get(close.session());
            if (tracked != null && !tracked.closed()) {
                writer.closed(close.tenant(), close.session(), close.until()).get();
                journaled.increment();
            }
        }
        // Unless a rewind came meanwhile: then the new stream is read from its start.
        if (!closes.isEmpty() && position.equals(from)) {
            position = closes.getLast().id();
        }
        return closes.size();
    }
}
