package dev.runtimeplane.state;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The array a script answers with: a {@link Status} code first, then the values that status
 * carries (as documented at the top of each script).
 */
record ScriptReply(List<Object> values) {

    /** The status codes the scripts share; a script's code is the ordinal. */
    enum Status { OK, NOT_FOUND, VERSION_CONFLICT, TOO_LARGE, FENCED, STALE, HELD, EXISTS, CLOSED, PENDING, STALLED }

    private static final Status[] STATUSES = Status.values();

    Status status() {
        return STATUSES[Math.toIntExact(longAt(0))];
    }

    long longAt(int index) {
        return (Long) values.get(index);
    }

    byte[] bytesAt(int index) {
        return (byte[]) values.get(index);
    }

    String textAt(int index) {
        return new String(bytesAt(index), StandardCharsets.UTF_8);
    }

    /** An array of strings (e.g. sorted-set members) returned inside the reply. */
    List<String> textsAt(int index) {
        return bytesListAt(index).stream().map(value -> new String(value, StandardCharsets.UTF_8)).toList();
    }

    /** An array of byte strings (e.g. an execution's events) returned inside the reply. */
    List<byte[]> bytesListAt(int index) {
        return ((List<?>) values.get(index)).stream().map(byte[].class::cast).toList();
    }

    /** A hash returned by HGETALL inside a script (a flat field, value, field, value array). */
    Map<String, byte[]> hashAt(int index) {
        List<?> flat = (List<?>) values.get(index);
        Map<String, byte[]> hash = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            hash.put(new String((byte[]) flat.get(i), StandardCharsets.UTF_8), (byte[]) flat.get(i + 1));
        }
        return hash;
    }

    /** The reply's status, when it is not one the caller handles. */
    IllegalStateException unexpected(LuaScript script) {
        return new IllegalStateException(script + " answered with unexpected status " + status());
    }
}
