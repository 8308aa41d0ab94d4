package dev.runtimeplane.state;

import java.util.Objects;

/**
 * A session's state: a JSON document and its version. A new session's state is {@code {}} at
 * version 0; every write adds one to the version.
 */
public record StateDocument(String json, long version) {

    public StateDocument {
        Objects.requireNonNull(json, "json");
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative, was " + version);
        }
    }
}
