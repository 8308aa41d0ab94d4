package dev.runtimeplane.core.port;

import java.util.Objects;

/** A record to append: a caller-defined type and its payload. */
public record JournalRecord(int type, byte[] payload) {

    public JournalRecord {
        if (type < 0 || type > 0xFFFF) {
            throw new IllegalArgumentException("record type must be 0..65535, was " + type);
        }
        Objects.requireNonNull(payload, "payload");
    }
}
