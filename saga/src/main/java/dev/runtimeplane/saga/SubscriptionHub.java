package dev.runtimeplane.saga;

import dev.runtimeplane.core.port.ExecutionKey;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The live subscriptions of this replica, by execution; told when an execution's store copy changes. */
final class SubscriptionHub {

    private final SagaRuntime runtime;
    private final Map<ExecutionKey, Set<Subscription>> byExecution = new ConcurrentHashMap<>();

    SubscriptionHub(SagaRuntime runtime) {
        this.runtime = runtime;
    }

    Subscription subscribe(ExecutionKey key, long fromIndex, SagaEventListener listener) {
        Subscription subscription = new Subscription(runtime, this, key, fromIndex, listener);
        byExecution.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(subscription);
        runtime.virtualThreads.execute(subscription);
        return subscription;
    }

    /** New events of {@code key} are in the store. */
    void changed(ExecutionKey key) {
        Set<Subscription> subscriptions = byExecution.get(key);
        if (subscriptions != null) {
            for (Subscription subscription : subscriptions) {
                subscription.nudge();
            }
        }
    }

    void remove(Subscription subscription) {
        byExecution.computeIfPresent(subscription.key(), (k, set) -> {
            set.remove(subscription);
            return set.isEmpty() ? null : set;
        });
    }

    void closeAll() {
        for (Set<Subscription> subscriptions : byExecution.values()) {
            for (Subscription subscription : subscriptions) {
                subscription.close();
            }
        }
    }
}
