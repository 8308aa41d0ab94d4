package dev.runtimeplane.saga;

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

    /** Holds {@code execution} if the replica is below its limit; false (nothing held) when it is full. */
    synchronized boolean admit(ExecutionKey key, LiveExecution execution) {
        if (executions.size() >= limit) {
            return false;
        }
        executions.put(key, execution);
        return true;
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
