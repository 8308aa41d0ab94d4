package dev.runtimeplane.saga;

import org.slf4j.MDC;

/**
 * Puts an execution's tenant, session and execution ids into the logging MDC of the current thread
 * between {@link #enter} and {@link #leave}, so every line a step or the coordinator logs for it can be
 * found by those ids.
 */
final class ExecutionMdc {

    private ExecutionMdc() {
    }

    static void enter(LiveExecution execution) {
        MDC.put("tenantId", execution.key().tenant().value());
        MDC.put("sessionId", execution.snapshot().session().value());
        MDC.put("executionId", execution.key().execution().value());
    }

    static void leave() {
        MDC.remove("tenantId");
        MDC.remove("sessionId");
        MDC.remove("executionId");
    }
}
