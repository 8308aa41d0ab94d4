package dev.runtimeplane.service.api;

import dev.runtimeplane.core.error.NotFoundException;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.log.LogContext;
import dev.runtimeplane.state.Session;
import dev.runtimeplane.state.StateSurface;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Checks a session-scoped request's bearer token. The token must belong to the session named in the
 * path; anything else (no token, a wrong one, another session's or tenant's) answers 404, so a
 * client cannot even learn that a session exists.
 */
@Singleton
public class Authenticated {

    private static final String BEARER = "Bearer ";  // the scheme is case-insensitive (RFC 9110, section 11.1)

    private final StateSurface stateSurface;

    public Authenticated(StateSurface stateSurface) {
        this.stateSurface = stateSurface;
    }

    /** Resolves the caller's session, then runs {@code action} with it. */
    public <T> CompletableFuture<T> session(String authorization, String sessionId,
                                            Function<Session, ? extends CompletionStage<T>> action) {
        SessionId requested = parseSessionId(sessionId);
        String token = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()).trim() : "";
        return stateSurface.sessions().resolveToken(token)
                .thenCompose(session -> action.apply(
                        session.filter(s -> s.id().equals(requested)).orElseThrow(() -> notFound(sessionId))));
    }

    /**
     * The blocking form, for handlers that run on a virtual thread: resolves the caller's session and
     * puts its tenant and session ids into the logging MDC until the returned scope is closed.
     */
    public CallerScope require(String authorization, String sessionId) {
        try {
            return new CallerScope(session(authorization, sessionId, CompletableFuture::completedFuture).join());
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** The caller's session, with its ids in the MDC while open. */
    public static final class CallerScope implements AutoCloseable {
        private final Session session;

        private CallerScope(Session session) {
            this.session = session;
            LogContext.enter(session.tenant().value(), session.id().value(), null);
        }

        public Session session() {
            return session;
        }

        @Override
        public void close() {
            LogContext.clear();
        }
    }

    private static SessionId parseSessionId(String sessionId) {
        try {
            return SessionId.of(sessionId);
        } catch (RuntimeException e) {
            throw notFound(sessionId);
        }
    }

    static NotFoundException notFound(String sessionId) {
        return new NotFoundException("no session '" + sessionId + "' for this bearer token");
    }
}
