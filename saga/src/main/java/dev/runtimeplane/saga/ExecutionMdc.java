package dev.runtimeplane.saga;

import dev.runtimeplane.core.port.ExecutionKey;
import org.slf4j.MDC;

/**
 * Puts an execution's tenant, session and execution ids into the logging MDC of the current thread
 * while open, so every line a step or the coordinator logs for it can be found by those ids.
 */
final class ExecutionMdc implements AutoCloseable {

    private ExecutionMdc(ExecutionKey key, String session) {
        MDC.put("tenantId", key.tenant().value());
        MDC.put("sessionId", session);
        MDC.put("executionId", key.execution().value());
    }

    static ExecutionMdc enter(LiveExecution execution) {
        return new ExecutionMdc(execution.key(), execution.snapshot().session().value());
    }

    @Override
    public void close() {
        MDC.remove("tenantId");
        MDC.remove("sessionId");
        MDC.remove("executionId");
    }
}
