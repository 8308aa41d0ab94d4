package dev.runtimeplane.state;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a tenant's sessions, oldest first.
 *
 * @param sessions   the live sessions of this page; it may hold fewer than asked for even when
 *                   more follow (entries of sessions that ended are skipped)
 * @param nextCursor where the next page starts; empty on the last page
 */
public record SessionPage(List<Session> sessions, Optional<String> nextCursor) {

    public SessionPage {
        sessions = List.copyOf(sessions);
        Objects.requireNonNull(nextCursor, "nextCursor");
    }
}
