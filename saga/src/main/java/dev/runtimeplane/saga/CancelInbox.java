package dev.runtimeplane.saga;

import dev.runtimeplane.core.port.ExecutionKey;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the cancels other replicas handed to this one (for executions it drives) from the store, every
 * {@code cancelPollInterval}, and applies each on a virtual thread. Runs on the scheduler thread and only
 * sends the request; one take is in flight at a time. A cancel for an execution this replica no longer
 * drives is dropped: the replica that handed it over sees it unconfirmed and answers "retry".
 */
final class CancelInbox implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(CancelInbox.class);

    private final SagaRuntime runtime;
    private final OperatorActions actions;
    private final AtomicBoolean taking = new AtomicBoolean();

    CancelInbox(SagaRuntime runtime, OperatorActions actions) {
        this.runtime = runtime;
        this.actions = actions;
    }

    @Override
    public void run() {
        if (!taking.compareAndSet(false, true)) {
            return;
        }
        try {
            runtime.store.takeCancelRequests(runtime.options.replicaId()).whenComplete((requests, error) -> {
                taking.set(false);
                if (requests != null && !requests.isEmpty()) {
                    runtime.virtualThreads.execute(() -> apply(requests));
                }
            });
        } catch (RuntimeException e) {
            taking.set(false);
        }
    }

    private void apply(Map<ExecutionKey, String> requests) {
        requests.forEach((key, request) -> {
            LiveExecution execution = runtime.live.get(key);
            if (execution == null) {
                LOG.info("a cancel of execution {} was handed to this replica, which no longer drives it", key.execution());
                return;
            }
            try {
                actions.cancelHere(execution, OperatorNote.decode(request));
            } catch (DriverStopped stopped) {
                LOG.info("a cancel of execution {} arrived as this replica stopped driving it", key.execution());
            } catch (RuntimeException e) {
                LOG.warn("a cancel of execution {} handed to this replica failed", key.execution(), e);
            }
        });
    }
}
