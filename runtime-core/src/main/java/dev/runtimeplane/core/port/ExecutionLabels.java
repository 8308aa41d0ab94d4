package dev.runtimeplane.core.port;

import java.util.Objects;

/**
 * What operators find and filter executions by, stored next to the opaque body of an
 * {@link ExecutionRecord} and in the store's admin index.
 *
 * @param type            the intent type (saga definition) name
 * @param typeVersion     its version
 * @param owner           the replica that last drove the execution
 * @param createdAtMillis when it started (epoch ms)
 * @param updatedAtMillis its last change (epoch ms); the admin list is sorted by it
 */
public record ExecutionLabels(String type, int typeVersion, String owner, long createdAtMillis, long updatedAtMillis) {

    public ExecutionLabels {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(owner, "owner");
    }
}
