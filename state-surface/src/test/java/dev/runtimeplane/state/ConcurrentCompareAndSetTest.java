package dev.runtimeplane.state;

import static dev.runtimeplane.state.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.error.VersionConflictException;
import dev.runtimeplane.core.id.Ids;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.testkit.RedisTestKit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Many writers racing compare-and-set increments on one document lose no update: at the end the
 * counter, the version and the number of successful writes are the same number.
 */
class ConcurrentCompareAndSetTest {

    private static final int THREADS = 50;
    private static final int ATTEMPTS_PER_THREAD = 40;
    /** The document starts as {} (version 0); then it is {"n":count}. */
    private static final Pattern COUNTER = Pattern.compile("\\{(?:\"n\":(\\d+))?}");

    @Test
    void fiftyThreadsIncrementingOneDocumentLoseNoUpdate() throws Exception {
        try (StateSurface surface = new StateSurface(StateSurfaceOptions.builder()
                .redisUri(RedisTestKit.shared().uri())
                .keyPrefix("test-" + Ids.random().substring(0, 12))
                .build())) {
            surface.start();
            Await.healthUp(surface);
            TenantId tenant = TenantId.of("cas");
            SessionId session = result(surface.sessions().create(tenant, "racer", Map.of())).session().id();
            SessionStateStore state = surface.sessionState();

            CountDownLatch start = new CountDownLatch(1);
            List<Future<int[]>> threads = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
                for (int t = 0; t < THREADS; t++) {
                    threads.add(pool.submit(() -> increments(state, tenant, session, start)));
                }
                start.countDown();
                int successes = 0;
                int conflicts = 0;
                for (Future<int[]> thread : threads) {
                    int[] outcome = thread.get(2, TimeUnit.MINUTES);
                    successes += outcome[0];
                    conflicts += outcome[1];
                }

                StateDocument end = result(state.read(tenant, session));
                assertEquals(THREADS * ATTEMPTS_PER_THREAD, successes + conflicts);
                assertTrue(successes > 0);
                assertTrue(conflicts > 0, "the writers never raced, so the test proved nothing");
                assertEquals(successes, end.version());
                assertEquals("{\"n\":" + successes + "}", end.json());
            }
        }
    }

    /** Read, add one, write back expecting the version read; a conflict counts and moves on. */
    private static int[] increments(SessionStateStore state, TenantId tenant, SessionId session, CountDownLatch start)
            throws InterruptedException {
        start.await();
        int successes = 0;
        int conflicts = 0;
        for (int attempt = 0; attempt < ATTEMPTS_PER_THREAD; attempt++) {
            StateDocument current = state.read(tenant, session).join();
            Matcher counter = COUNTER.matcher(current.json());
            assertTrue(counter.matches(), current.json());
            long next = (counter.group(1) == null ? 0 : Long.parseLong(counter.group(1))) + 1;
            try {
                state.write(tenant, session, "{\"n\":" + next + "}", current.version()).join();
                successes++;
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof VersionConflictException)) {
                    throw e;
                }
                conflicts++;
            }
        }
        return new int[] {successes, conflicts};
    }
}
