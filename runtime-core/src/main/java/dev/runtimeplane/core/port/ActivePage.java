package dev.runtimeplane.core.port;

import java.util.List;
import java.util.Objects;

/**
 * One step of a walk over the store's index of non-terminal executions ({@link ExecutionStore#scanActive}).
 *
 * @param unleased the executions of this step whose record is not terminal and whose lease is free
 *                 (candidates for adoption)
 * @param cursor   where the next step starts; {@link #START} again once the walk has covered the index
 */
public record ActivePage(List<ExecutionKey> unleased, String cursor) {

    /** The cursor that starts a walk, and the one that ends it. */
    public static final String START = "0";

    public ActivePage {
        unleased = List.copyOf(unleased);
        Objects.requireNonNull(cursor, "cursor");
    }

    /** True when this step ended the walk. */
    public boolean complete() {
        return START.equals(cursor);
    }
}
