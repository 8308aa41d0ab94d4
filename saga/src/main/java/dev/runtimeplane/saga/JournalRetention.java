package dev.runtimeplane.saga;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Keeps the journal's records for the store's retention period, so that a store that lost its data can
 * be given back every execution it should still hold, finished ones included ({@link SagaCoordinator#restoreStore}).
 * Remembers, about once per {@code retention / 64} (at most once a minute), which sequence the journal had
 * reached at that time; the journal may drop the records before the newest such mark that is older than the
 * retention. So memory is bounded (at most about 10,000 marks) and records are kept a bucket longer at most.
 */
final class JournalRetention {

    private static final long MAX_BUCKET_MILLIS = Duration.ofMinutes(1).toMillis();

    private final long retentionMillis;
    private final long bucketMillis;
    /** {time, sequence}: records from {@code sequence} on were appended at {@code time} or later; oldest first. */
    private final ArrayDeque<long[]> marks = new ArrayDeque<>();

    JournalRetention(Duration retention) {
        this.retentionMillis = retention.toMillis();
        this.bucketMillis = Math.clamp(retentionMillis / 64, 1, MAX_BUCKET_MILLIS);
    }

    /** Records from {@code sequence} on were appended at {@code atMillis} or later. */
    synchronized void note(long atMillis, long sequence) {
        long[] last = marks.peekLast();
        if (last == null || (atMillis - last[0] >= bucketMillis && sequence > last[1])) {
            marks.addLast(new long[] {atMillis, sequence});
        }
    }

    /** The lowest sequence still to keep at {@code nowMillis} ({@code Long.MAX_VALUE} when nothing was noted). */
    synchronized long floor(long nowMillis) {
        long cutoff = nowMillis - retentionMillis;
        while (marks.size() > 1 && secondMark()[0] <= cutoff) {
            marks.removeFirst();
        }
        long[] first = marks.peekFirst();
        return first == null ? Long.MAX_VALUE : first[1];
    }

    private long[] secondMark() {
        var it = marks.iterator();
        it.next();
        return it.next();
    }
}
