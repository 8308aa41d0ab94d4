package dev.runtimeplane.saga;

import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ExecutionKey;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executions this replica holds (running, waiting for a permit or a retry time, starting), bounded
 * by {@code limit}. A new start is admitted only below the limit; adoption looks at {@link #free()}
 * before each takeover; what this replica's own journal holds after a restart is resumed regardless
 * (it was accepted before), and new starts wait until the replica is below the limit again.
 */
final class LiveExecutions {

    private final Map<ExecutionKey, LiveExecution> executions = new ConcurrentHashMap<>();
    private final int limit;

    LiveExecutions(int limit) {
        this.limit = limit;
    }

    /**
     * Holds {@code execution} for a new start if the replica is below its limit. Returns what is held under
     * {@code key} afterwards: {@code execution} itself when admitted, the execution already held when a
     * concurrent start of the same key got there first, or null (nothing held) when the replica is full.
     */
    synchronized LiveExecution admit(ExecutionKey key, LiveExecution execution) {
        LiveExecution already = executions.get(key);
        if (already != null) {
            return already;
        }
        if (executions.size() >= limit) {
            return null;
        }
        executions.put(key, execution);
        return execution;
    }

    /** Holds an execution taken over (recovered or adopted), which was accepted by some replica before. */
    synchronized void put(ExecutionKey key, LiveExecution execution) {
        executions.put(key, execution);
    }

    boolean remove(ExecutionKey key, LiveExecution execution) {
        return executions.remove(key, execution);
    }

    LiveExecution get(ExecutionKey key) {
        return executions.get(key);
    }

    boolean containsKey(ExecutionKey key) {
        return executions.containsKey(key);
    }

    Collection<LiveExecution> values() {
        return executions.values();
    }

    int size() {
        return executions.size();
    }

    /** How many of the held executions belong to {@code tenant} (a walk over at most {@code limit} keys). */
    int heldFor(TenantId tenant) {
        int held = 0;
        for (ExecutionKey key : executions.keySet()) {
            if (key.tenant().equals(tenant)) {
                held++;
            }
        }
        return held;
    }

    boolean isEmpty() {
        return executions.isEmpty();
    }

    int limit() {
        return limit;
    }

    /** How many more executions this replica may take on. */
    int free() {
        return Math.max(0, limit - executions.size());
    }
}
