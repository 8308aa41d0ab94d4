package dev.runtimeplane.core.log;

import org.slf4j.MDC;

/**
 * The ids every log line about a tenant's work carries, as MDC keys of the current thread: put them
 * when a thread starts working for a session or an execution, clear them when it stops.
 */
public final class LogContext {

    public static final String TENANT_ID = "tenantId";
    public static final String SESSION_ID = "sessionId";
    public static final String EXECUTION_ID = "executionId";

    private LogContext() {
    }

    /** Puts the ids; {@code execution} may be null for work that concerns a session only. */
    public static void enter(String tenant, String session, String execution) {
        MDC.put(TENANT_ID, tenant);
        MDC.put(SESSION_ID, session);
        if (execution != null) {
            MDC.put(EXECUTION_ID, execution);
        }
    }

    /** Adds the execution id to ids already put. */
    public static void execution(String execution) {
        MDC.put(EXECUTION_ID, execution);
    }

    /** Removes all three ids. */
    public static void clear() {
        MDC.remove(TENANT_ID);
        MDC.remove(SESSION_ID);
        MDC.remove(EXECUTION_ID);
    }
}
